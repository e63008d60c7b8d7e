package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/aksguard/aksguard/internal/config"
)

func newInitCmd(stdout io.Writer) *cobra.Command {
	var force bool
	var file string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter " + config.FileName,
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			fh, err := os.OpenFile(file, flags, 0o644)
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s already exists: edit it, or overwrite it with --force", file)
			}
			if err != nil {
				return err
			}
			if _, err := io.WriteString(fh, config.Starter); err != nil {
				fh.Close()
				return err
			}
			if err := fh.Close(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(stdout, "wrote %s\n", file)
			return err
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	cmd.Flags().StringVar(&file, "file", config.FileName, "where to write")
	return cmd
}
