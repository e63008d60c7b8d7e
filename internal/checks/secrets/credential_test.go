package secrets

import (
	"testing"
)

func TestCredentialWord(t *testing.T) {
	for name, want := range map[string]bool{
		"DB_PASSWORD": true, "db-passwd": true, "MYSQL_PWD": true, "client.secret": true, "AZURE_CLIENT_SECRET": true,
		"apiKey": true, "API-KEY": true, "storageAccessKey": true, "PRIVATE_KEY": true, "ConnectionString": true,
		"connection-string": true, "GITHUB_TOKEN": true, "aws_credentials": true, "Secret": true,
		"PWD": true, "OLDPWD": true, "LOG_LEVEL": false, "USERNAME": false, "KEY": false,
		"POSTGRES_PASSWORD_FILE": false, "passwordFile": false, "TOKEN_SERVICE_URL": false, "MY_SECRET_NAME": false,
		"SECRET_KEY_PATH": false, "AIRFLOW__API__SECRET_KEY_CMD": false, "CASSANDRA_NUM_TOKENS": false,
		"ALLOW_EMPTY_PASSWORD": false, "ENABLE_M2M_TOKENS": false, "REGISTRY_CREDENTIAL_USERNAME": false,
		"VAULT_DEV_ROOT_TOKEN_ID": true, "MINIO_SECRET_KEY": true,
	} {
		if got := credentialWord(name) != ""; got != want {
			t.Errorf("credentialWord(%q) = %q, want credential=%v", name, credentialWord(name), want)
		}
	}
	for v, want := range map[string]bool{"yes": true, "False": true, "$(DB_PASSWORD)": true, "hunter2": false, "$(A)$(B)": false, "0": false} {
		if got := notACredentialValue(v); got != want {
			t.Errorf("notACredentialValue(%q) = %v, want %v", v, got, want)
		}
	}
}
