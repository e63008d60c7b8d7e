package syntax

import (
	"strings"
	"testing"
)

// parseCases: one or a few lines of Bicep per construct, and the tree they
// give (dump_test.go's notation: Kind@line:col, fields, children).
var parseCases = []struct {
	name string
	src  string
	want string
}{
	{"target scope",
		"targetScope = 'subscription'\n",
		"(TargetScope@1:1 Value=\"subscription\"@1:15)"},
	{"metadata",
		"metadata name = 'AKS'\n",
		"(Metadata@1:1 Name=name@1:10 Value=\"AKS\"@1:17)"},
	{"param decorators",
		"@description('d')\n@secure()\n@sys.minLength(3)\nparam p string\n",
		"(Param@4:1 Decorators=[(Decorator@1:1 Call=(CallExpr@1:2 Name=description@1:2 Args=[\"d\"@1:14])) (Decorator@2:1 Call=(CallExpr@2:2 Name=secure@2:2)) (Decorator@3:1 Call=(CallExpr@3:2 Recv=sys@3:2 Name=minLength@3:6 Args=[3@3:16]))] Name=p@4:7 Type=(TypeRef@4:9 Name=string@4:9))"},
	{"param default nullable",
		"param p int? = -1\n",
		"(Param@1:1 Name=p@1:7 Type=(NullableType@1:9 X=(TypeRef@1:9 Name=int@1:9)) Default=(UnaryExpr@1:16 Op=\"-\" X=1@1:17))"},
	{"param allowed multi-line",
		"@allowed([\n  'a'\n  'b'\n])\nparam p string = 'a'\n",
		"(Param@5:1 Decorators=[(Decorator@1:1 Call=(CallExpr@1:2 Name=allowed@1:2 Args=[(ArrayExpr@1:10 Items=[\"a\"@2:3 \"b\"@3:3])]))] Name=p@5:7 Type=(TypeRef@5:9 Name=string@5:9) Default=\"a\"@5:18)"},
	{"param resourceInput",
		"param tags resourceInput<'Microsoft.X/y@2025-01-02'>.tags?\n",
		"(Param@1:1 Name=tags@1:7 Type=(NullableType@1:12 X=(TypePropertyAccess@1:12 X=(ParameterizedType@1:12 Name=resourceInput@1:12 Args=[(LiteralType@1:26 Value=\"Microsoft.X/y@2025-01-02\"@1:26)]) Name=tags@1:54)))"},
	{"param legacy resource",
		"param kv resource 'Microsoft.KeyVault/vaults@2019-09-01'\n",
		"(Param@1:1 Name=kv@1:7 Type=(ResourceTypeRef@1:10 Type=\"Microsoft.KeyVault/vaults@2019-09-01\"@1:19))"},
	{"param object type",
		"param o {\n  a: string\n  *: int\n} = {}\n",
		"(Param@1:1 Name=o@1:7 Type=(ObjectType@1:9 Props=[(ObjectTypeProperty@2:3 Key=a@2:3 Value=(TypeRef@2:6 Name=string@2:6))] Additional=(ObjectTypeProperty@3:3 Value=(TypeRef@3:6 Name=int@3:6))) Default=(ObjectExpr@4:5))"},
	{"var",
		"var v = true\n",
		"(Var@1:1 Name=v@1:5 Value=true@1:9)"},
	{"var typed",
		"var v int = 1\n",
		"(Var@1:1 Name=v@1:5 Type=(TypeRef@1:7 Name=int@1:7) Value=1@1:13)"},
	{"output",
		"output o string = aks.properties.fqdn\n",
		"(Output@1:1 Name=o@1:8 Type=(TypeRef@1:10 Name=string@1:10) Value=(PropertyAccess@1:19 X=(PropertyAccess@1:19 X=aks@1:19 Name=properties@1:23) Name=fqdn@1:34))"},
	{"output resource",
		"output r resource 'x/y@1' = res\n",
		"(Output@1:1 Name=r@1:8 Type=(ResourceTypeRef@1:10 Type=\"x/y@1\"@1:19) Value=res@1:29)"},
	{"output resource untyped",
		"output r resource = res\n",
		"(Output@1:1 Name=r@1:8 Type=(ResourceTypeRef@1:10) Value=res@1:21)"},
	{"output resourceInput",
		"output o resourceInput<'x/y@1'>.properties = {}\n",
		"(Output@1:1 Name=o@1:8 Type=(TypePropertyAccess@1:10 X=(ParameterizedType@1:10 Name=resourceInput@1:10 Args=[(LiteralType@1:24 Value=\"x/y@1\"@1:24)]) Name=properties@1:33) Value=(ObjectExpr@1:46))"},
	{"resource",
		"resource aks 'Microsoft.ContainerService/managedClusters@2025-10-01' = {\n  name: name\n  properties: {\n    disableLocalAccounts: true\n  }\n}\n",
		"(Resource@1:1 Name=aks@1:10 Type=\"Microsoft.ContainerService/managedClusters@2025-10-01\"@1:14 Body=(ObjectExpr@1:72 Items=[(ObjectProperty@2:3 Key=name@2:3 Value=name@2:9) (ObjectProperty@3:3 Key=properties@3:3 Value=(ObjectExpr@3:15 Items=[(ObjectProperty@4:5 Key=disableLocalAccounts@4:5 Value=true@4:27)]))]))"},
	{"resource existing parent",
		"resource sub 'Microsoft.Network/virtualNetworks/subnets@2024-01-01' existing = {\n  parent: vnet\n  name: 'a'\n}\n",
		"(Resource@1:1 Name=sub@1:10 Type=\"Microsoft.Network/virtualNetworks/subnets@2024-01-01\"@1:14 Existing=true Body=(ObjectExpr@1:80 Items=[(ObjectProperty@2:3 Key=parent@2:3 Value=vnet@2:11) (ObjectProperty@3:3 Key=name@3:3 Value=\"a\"@3:9)]))"},
	{"resource nested child",
		"resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {\n  name: 'v'\n  @batchSize(1)\n  resource sub 'subnets' = {\n    name: 's'\n  }\n}\n",
		"(Resource@1:1 Name=vnet@1:10 Type=\"Microsoft.Network/virtualNetworks@2024-01-01\"@1:15 Body=(ObjectExpr@1:64 Items=[(ObjectProperty@2:3 Key=name@2:3 Value=\"v\"@2:9) (Resource@4:3 Decorators=[(Decorator@3:3 Call=(CallExpr@3:4 Name=batchSize@3:4 Args=[1@3:14]))] Name=sub@4:12 Type=\"subnets\"@4:16 Body=(ObjectExpr@4:28 Items=[(ObjectProperty@5:5 Key=name@5:5 Value=\"s\"@5:11)]))]))"},
	{"resource condition newline",
		"resource r 'x/y@1' =\n  if (deploy) {\n    name: 'r'\n  }\n",
		"(Resource@1:1 Name=r@1:10 Type=\"x/y@1\"@1:12 Body=(IfExpr@2:3 Cond=deploy@2:7 Body=(ObjectExpr@2:15 Items=[(ObjectProperty@3:5 Key=name@3:5 Value=\"r\"@3:11)])))"},
	{"resource loop index",
		"@batchSize(1)\nresource r 'x/y@1' = [for (p, i) in pools: {\n  name: '${p.name}-${i}'\n}]\n",
		"(Resource@2:1 Decorators=[(Decorator@1:1 Call=(CallExpr@1:2 Name=batchSize@1:2 Args=[1@1:12]))] Name=r@2:10 Type=\"x/y@1\"@2:12 Body=(ForExpr@2:22 Item=p@2:28 Index=i@2:31 Iterable=pools@2:37 Body=(ObjectExpr@2:44 Items=[(ObjectProperty@3:3 Key=name@3:3 Value=(StringLit@3:9 Parts=[\"\" \"-\" \"\"] Exprs=[(PropertyAccess@3:12 X=p@3:12 Name=name@3:14) i@3:22]))])))"},
	{"resource filtered loop",
		"resource r 'x/y@1' = [for p in pools: if (p.enabled) {\n  name: p.name\n}]\n",
		"(Resource@1:1 Name=r@1:10 Type=\"x/y@1\"@1:12 Body=(ForExpr@1:22 Item=p@1:27 Iterable=pools@1:32 Body=(IfExpr@1:39 Cond=(PropertyAccess@1:43 X=p@1:43 Name=enabled@1:45) Body=(ObjectExpr@1:54 Items=[(ObjectProperty@2:3 Key=name@2:3 Value=(PropertyAccess@2:9 X=p@2:9 Name=name@2:11))]))))"},
	{"module local",
		"module aks './aks.bicep' = {\n  name: 'aks'\n  scope: resourceGroup(rg)\n  params: {\n    n: 1\n  }\n}\n",
		"(Module@1:1 Name=aks@1:8 Path=\"./aks.bicep\"@1:12 Body=(ObjectExpr@1:28 Items=[(ObjectProperty@2:3 Key=name@2:3 Value=\"aks\"@2:9) (ObjectProperty@3:3 Key=scope@3:3 Value=(CallExpr@3:10 Name=resourceGroup@3:10 Args=[rg@3:24])) (ObjectProperty@4:3 Key=params@4:3 Value=(ObjectExpr@4:11 Items=[(ObjectProperty@5:5 Key=n@5:5 Value=1@5:8)]))]))"},
	{"module registry",
		"module a 'br/public:avm/res/container-service/managed-cluster:0.9.0' = if (x) {\n  name: 'a'\n}\n",
		"(Module@1:1 Name=a@1:8 Path=\"br/public:avm/res/container-service/managed-cluster:0.9.0\"@1:10 Body=(IfExpr@1:72 Cond=x@1:76 Body=(ObjectExpr@1:79 Items=[(ObjectProperty@2:3 Key=name@2:3 Value=\"a\"@2:9)])))"},
	{"module br ts loop",
		"module m 'br:contoso.azurecr.io/bicep/aks:v1' = [for i in range(0, 2): {\n  name: 'm${i}'\n}]\nmodule t 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {\n  name: 't'\n}\n",
		"(Module@1:1 Name=m@1:8 Path=\"br:contoso.azurecr.io/bicep/aks:v1\"@1:10 Body=(ForExpr@1:49 Item=i@1:54 Iterable=(CallExpr@1:59 Name=range@1:59 Args=[0@1:65 2@1:68]) Body=(ObjectExpr@1:72 Items=[(ObjectProperty@2:3 Key=name@2:3 Value=(StringLit@2:9 Parts=[\"m\" \"\"] Exprs=[i@2:13]))])))\n" +
			"(Module@4:1 Name=t@4:8 Path=\"ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0\"@4:10 Body=(ObjectExpr@4:66 Items=[(ObjectProperty@5:3 Key=name@5:3 Value=\"t\"@5:9)]))"},
	{"type union leading pipe",
		"type t = (\n  | 'a'\n  | 'b')[]?\n",
		"(TypeDecl@1:1 Name=t@1:6 Value=(NullableType@1:10 X=(ArrayType@1:10 Elem=(ParenType@1:10 X=(UnionType@2:3 Members=[(LiteralType@2:5 Value=\"a\"@2:5) (LiteralType@3:5 Value=\"b\"@3:5)])))))"},
	{"type union inline",
		"type t = 'a' | 'b' | -1 | !true | null\n",
		"(TypeDecl@1:1 Name=t@1:6 Value=(UnionType@1:10 Members=[(LiteralType@1:10 Value=\"a\"@1:10) (LiteralType@1:16 Value=\"b\"@1:16) (LiteralType@1:22 Value=(UnaryExpr@1:22 Op=\"-\" X=1@1:23)) (LiteralType@1:27 Value=(UnaryExpr@1:27 Op=\"!\" X=true@1:28)) (LiteralType@1:35 Value=null@1:35)]))"},
	{"type object",
		"@sealed()\n@export()\ntype t = {\n  @description('d')\n  name: string\n  'quoted key': int[][]\n  nested: {\n    x: bool?\n  }\n}\n",
		"(TypeDecl@3:1 Decorators=[(Decorator@1:1 Call=(CallExpr@1:2 Name=sealed@1:2)) (Decorator@2:1 Call=(CallExpr@2:2 Name=export@2:2))] Name=t@3:6 Value=(ObjectType@3:10 Props=[(ObjectTypeProperty@4:3 Decorators=[(Decorator@4:3 Call=(CallExpr@4:4 Name=description@4:4 Args=[\"d\"@4:16]))] Key=name@5:3 Value=(TypeRef@5:9 Name=string@5:9)) (ObjectTypeProperty@6:3 Key=\"quoted key\"@6:3 Value=(ArrayType@6:17 Elem=(ArrayType@6:17 Elem=(TypeRef@6:17 Name=int@6:17)))) (ObjectTypeProperty@7:3 Key=nested@7:3 Value=(ObjectType@7:11 Props=[(ObjectTypeProperty@8:5 Key=x@8:5 Value=(NullableType@8:8 X=(TypeRef@8:8 Name=bool@8:8)))]))]))"},
	{"type discriminated",
		"@discriminator('kind')\ntype u = a | b\n",
		"(TypeDecl@2:1 Decorators=[(Decorator@1:1 Call=(CallExpr@1:2 Name=discriminator@1:2 Args=[\"kind\"@1:16]))] Name=u@2:6 Value=(UnionType@2:10 Members=[(TypeRef@2:10 Name=a@2:10) (TypeRef@2:14 Name=b@2:14)]))"},
	{"type tuple",
		"type t = [\n  @description('first')\n  string\n  int\n]\n",
		"(TypeDecl@1:1 Name=t@1:6 Value=(TupleType@1:10 Items=[(TupleTypeItem@2:3 Decorators=[(Decorator@2:3 Call=(CallExpr@2:4 Name=description@2:4 Args=[\"first\"@2:16]))] Value=(TypeRef@3:3 Name=string@3:3)) (TupleTypeItem@4:3 Value=(TypeRef@4:3 Name=int@4:3))]))"},
	{"type access",
		"type a = t[*]\ntype b = t[1]\ntype c = d.*\ntype e = f.g.h\ntype s = sys.string\ntype r = sys.resourceOutput<'x/y@1'>\n",
		"(TypeDecl@1:1 Name=a@1:6 Value=(TypeIndex@1:10 X=(TypeRef@1:10 Name=t@1:10) Star=true))\n" +
			"(TypeDecl@2:1 Name=b@2:6 Value=(TypeIndex@2:10 X=(TypeRef@2:10 Name=t@2:10) Index=1@2:12))\n" +
			"(TypeDecl@3:1 Name=c@3:6 Value=(TypeAdditionalProperties@3:10 X=(TypeRef@3:10 Name=d@3:10)))\n" +
			"(TypeDecl@4:1 Name=e@4:6 Value=(TypePropertyAccess@4:10 X=(TypePropertyAccess@4:10 X=(TypeRef@4:10 Name=f@4:10) Name=g@4:12) Name=h@4:14))\n" +
			"(TypeDecl@5:1 Name=s@5:6 Value=(TypeRef@5:10 Qualifier=sys@5:10 Name=string@5:14))\n" +
			"(TypeDecl@6:1 Name=r@6:6 Value=(ParameterizedType@6:10 Qualifier=sys@6:10 Name=resourceOutput@6:14 Args=[(LiteralType@6:29 Value=\"x/y@1\"@6:29)]))"},
	{"func",
		"func f(a string, b int) string => '${a}${b}'\n",
		"(Func@1:1 Name=f@1:6 Params=[(LambdaParam@1:8 Name=a@1:8 Type=(TypeRef@1:10 Name=string@1:10)) (LambdaParam@1:18 Name=b@1:18 Type=(TypeRef@1:20 Name=int@1:20))] Result=(TypeRef@1:25 Name=string@1:25) Body=(StringLit@1:35 Parts=[\"\" \"\" \"\"] Exprs=[a@1:38 b@1:42]))"},
	{"import list",
		"import {a, b as c, 'x-y' as d} from 'types.bicep'\n",
		"(Import@1:1 Items=[(ImportItem@1:9 Name=a@1:9) (ImportItem@1:12 Name=b@1:12 Alias=c@1:17) (ImportItem@1:20 Name=\"x-y\"@1:20 Alias=d@1:29)] From=\"types.bicep\"@1:37)"},
	{"import list lines",
		"import {\n  a\n  b\n} from 'br/public:avm/utl/types/avm-common-types:0.5.1'\n",
		"(Import@1:1 Items=[(ImportItem@2:3 Name=a@2:3) (ImportItem@3:3 Name=b@3:3)] From=\"br/public:avm/utl/types/avm-common-types:0.5.1\"@4:8)"},
	{"import wildcard",
		"import * as types from 'types.bicep'\n",
		"(Import@1:1 Wildcard=types@1:13 From=\"types.bicep\"@1:24)"},
	{"import legacy provider",
		"import 'kubernetes@1.0.0' with {\n  namespace: 'default'\n  kubeConfig: k\n} as k8s\n",
		"(Extension@1:1 Keyword=\"import\" Spec=\"kubernetes@1.0.0\"@1:8 Config=(ObjectExpr@1:32 Items=[(ObjectProperty@2:3 Key=namespace@2:3 Value=\"default\"@2:14) (ObjectProperty@3:3 Key=kubeConfig@3:3 Value=k@3:15)]) Alias=k8s@4:6)"},
	{"extension",
		"extension microsoftGraphV1\nextension kubernetes with {\n  kubeConfig: k\n} as k8s\nprovider 'br:example.io/p:1.0' as p\n",
		"(Extension@1:1 Keyword=\"extension\" Spec=microsoftGraphV1@1:11)\n" +
			"(Extension@2:1 Keyword=\"extension\" Spec=kubernetes@2:11 Config=(ObjectExpr@2:27 Items=[(ObjectProperty@3:3 Key=kubeConfig@3:3 Value=k@3:15)]) Alias=k8s@4:6)\n" +
			"(Extension@5:1 Keyword=\"provider\" Spec=\"br:example.io/p:1.0\"@5:10 Alias=p@5:35)"},
	{"assert",
		"assert a = length(name) < 10\n",
		"(Assert@1:1 Name=a@1:8 Value=(BinaryExpr@1:12 Op=\"<\" X=(CallExpr@1:12 Name=length@1:12 Args=[name@1:19]) Y=10@1:27))"},
	{"interpolation nested",
		"var s = 'a${'b${c}d'}e'\n",
		"(Var@1:1 Name=s@1:5 Value=(StringLit@1:9 Parts=[\"a\" \"e\"] Exprs=[(StringLit@1:13 Parts=[\"b\" \"d\"] Exprs=[c@1:17])]))"},
	{"multiline",
		"var s = '''\nline 1\n  'quoted' ${not}\n'''\n",
		"(Var@1:1 Name=s@1:5 Value=(StringLit@1:9 Parts=[\"line 1\\n  'quoted' ${not}\\n\"] Multiline=true))"},
	{"arrays objects",
		"var a = [1, 'two', {three: 3, 'four': 4}, []]\nvar o = {\n  a: 1\n  b: [\n    1\n    2\n  ]\n  ...spread\n}\nvar sa = [\n  ...x\n  y\n]\n",
		"(Var@1:1 Name=a@1:5 Value=(ArrayExpr@1:9 Items=[1@1:10 \"two\"@1:13 (ObjectExpr@1:20 Items=[(ObjectProperty@1:21 Key=three@1:21 Value=3@1:28) (ObjectProperty@1:31 Key=\"four\"@1:31 Value=4@1:39)]) (ArrayExpr@1:43)]))\n" +
			"(Var@2:1 Name=o@2:5 Value=(ObjectExpr@2:9 Items=[(ObjectProperty@3:3 Key=a@3:3 Value=1@3:6) (ObjectProperty@4:3 Key=b@4:3 Value=(ArrayExpr@4:6 Items=[1@5:5 2@6:5])) (SpreadExpr@8:3 X=spread@8:6)]))\n" +
			"(Var@10:1 Name=sa@10:5 Value=(ArrayExpr@10:10 Items=[(SpreadExpr@11:3 X=x@11:6) y@12:3]))"},
	{"access",
		"var a = b.c.?d[0][?e][^1]!::f\n",
		"(Var@1:1 Name=a@1:5 Value=(ResourceAccess@1:9 X=(NonNullExpr@1:9 X=(IndexExpr@1:9 X=(IndexExpr@1:9 X=(IndexExpr@1:9 X=(PropertyAccess@1:9 X=(PropertyAccess@1:9 X=b@1:9 Name=c@1:11) Name=d@1:14 Safe=true) Index=0@1:16) Index=e@1:20 Safe=true) Index=1@1:24 FromEnd=true)) Name=f@1:29))"},
	{"calls",
		"var a = az.resourceGroup().id\nvar b = sys.concat(x, y)\nvar c = kv.getSecret('s')\nvar d = union(\n  a,\n  b\n)\n",
		"(Var@1:1 Name=a@1:5 Value=(PropertyAccess@1:9 X=(CallExpr@1:9 Recv=az@1:9 Name=resourceGroup@1:12) Name=id@1:28))\n" +
			"(Var@2:1 Name=b@2:5 Value=(CallExpr@2:9 Recv=sys@2:9 Name=concat@2:13 Args=[x@2:20 y@2:23]))\n" +
			"(Var@3:1 Name=c@3:5 Value=(CallExpr@3:9 Recv=kv@3:9 Name=getSecret@3:12 Args=[\"s\"@3:22]))\n" +
			"(Var@4:1 Name=d@4:5 Value=(CallExpr@4:9 Name=union@4:9 Args=[a@5:3 b@6:3]))"},
	{"unary",
		"var a = !b.c\nvar d = -1\nvar e = !(x)\n",
		"(Var@1:1 Name=a@1:5 Value=(UnaryExpr@1:9 Op=\"!\" X=(PropertyAccess@1:10 X=b@1:10 Name=c@1:12)))\n" +
			"(Var@2:1 Name=d@2:5 Value=(UnaryExpr@2:9 Op=\"-\" X=1@2:10))\n" +
			"(Var@3:1 Name=e@3:5 Value=(UnaryExpr@3:9 Op=\"!\" X=(ParenExpr@3:10 X=x@3:11)))"},
	{"precedence",
		"var a = 1 + 2 * 3 - 4 / 5 % 6\nvar b = a =~ b != c !~ d\n",
		"(Var@1:1 Name=a@1:5 Value=(BinaryExpr@1:9 Op=\"-\" X=(BinaryExpr@1:9 Op=\"+\" X=1@1:9 Y=(BinaryExpr@1:13 Op=\"*\" X=2@1:13 Y=3@1:17)) Y=(BinaryExpr@1:21 Op=\"%\" X=(BinaryExpr@1:21 Op=\"/\" X=4@1:21 Y=5@1:25) Y=6@1:29)))\n" +
			"(Var@2:1 Name=b@2:5 Value=(BinaryExpr@2:9 Op=\"!~\" X=(BinaryExpr@2:9 Op=\"!=\" X=(BinaryExpr@2:9 Op=\"=~\" X=a@2:9 Y=b@2:14) Y=c@2:19) Y=d@2:24))"},
	{"left assoc",
		"var a = x ?? y ?? z\n",
		"(Var@1:1 Name=a@1:5 Value=(BinaryExpr@1:9 Op=\"??\" X=(BinaryExpr@1:9 Op=\"??\" X=x@1:9 Y=y@1:14) Y=z@1:19))"},
	{"ternary",
		"var a = b ? c : d ? e : f\n",
		"(Var@1:1 Name=a@1:5 Value=(TernaryExpr@1:9 Cond=b@1:9 Then=c@1:13 Else=(TernaryExpr@1:17 Cond=d@1:17 Then=e@1:21 Else=f@1:25)))"},
	{"ternary multi-line",
		"var a = empty(x)\n  ? {\n      k: 1\n    }\n  : null\n",
		"(Var@1:1 Name=a@1:5 Value=(TernaryExpr@1:9 Cond=(CallExpr@1:9 Name=empty@1:9 Args=[x@1:15]) Then=(ObjectExpr@2:5 Items=[(ObjectProperty@3:7 Key=k@3:7 Value=1@3:10)]) Else=null@5:5))"},
	{"lambdas",
		"var a = map(xs, x => x.name)\nvar b = reduce(xs, {}, (cur, next) => union(cur, next))\nvar c = () => 1\n",
		"(Var@1:1 Name=a@1:5 Value=(CallExpr@1:9 Name=map@1:9 Args=[xs@1:13 (LambdaExpr@1:17 Params=[(LambdaParam@1:17 Name=x@1:17)] Body=(PropertyAccess@1:22 X=x@1:22 Name=name@1:24))]))\n" +
			"(Var@2:1 Name=b@2:5 Value=(CallExpr@2:9 Name=reduce@2:9 Args=[xs@2:16 (ObjectExpr@2:20) (LambdaExpr@2:24 Params=[(LambdaParam@2:25 Name=cur@2:25) (LambdaParam@2:30 Name=next@2:30)] Body=(CallExpr@2:39 Name=union@2:39 Args=[cur@2:45 next@2:50]))]))\n" +
			"(Var@3:1 Name=c@3:5 Value=(LambdaExpr@3:9 Body=1@3:15))"},
	{"lambda body newline",
		"var a = filter(xs, x =>\n  x.enabled)\n",
		"(Var@1:1 Name=a@1:5 Value=(CallExpr@1:9 Name=filter@1:9 Args=[xs@1:16 (LambdaExpr@1:20 Params=[(LambdaParam@1:20 Name=x@1:20)] Body=(PropertyAccess@2:3 X=x@2:3 Name=enabled@2:5))]))"},
	{"for var",
		"var a = [for (x, i) in xs: {\n  i: i\n}]\nvar b = [\n  for x in xs: x\n]\n",
		"(Var@1:1 Name=a@1:5 Value=(ForExpr@1:9 Item=x@1:15 Index=i@1:18 Iterable=xs@1:24 Body=(ObjectExpr@1:28 Items=[(ObjectProperty@2:3 Key=i@2:3 Value=i@2:6)])))\n" +
			"(Var@4:1 Name=b@4:5 Value=(ForExpr@4:9 Item=x@5:7 Iterable=xs@5:12 Body=x@5:16))"},
	{"comments pragmas",
		"// leading\n/* block\n   comment */\n#disable-next-line no-unused-params BCP081 // why\nparam p string // trailing\n#disable-diagnostics\nvar v = /* inline */ 1\n",
		"(Param@5:1 Name=p@5:7 Type=(TypeRef@5:9 Name=string@5:9))\n" +
			"(Var@7:1 Name=v@7:5 Value=1@7:22)"},
	{"crlf",
		"param a string\r\nvar b = a\r\n\n",
		"(Param@1:1 Name=a@1:7 Type=(TypeRef@1:9 Name=string@1:9))\n" +
			"(Var@2:1 Name=b@2:5 Value=a@2:9)"},
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.src), "main.bicep")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var got []string
			for _, s := range f.Statements {
				got = append(got, dump(s))
			}
			if g := strings.Join(got, "\n"); g != tc.want {
				t.Errorf("got\n%s\nwant\n%s", g, tc.want)
			}
		})
	}
}
