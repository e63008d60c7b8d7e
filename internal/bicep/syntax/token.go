package syntax

import "fmt"

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tNewline
	tIdent
	tInt
	tString      // 'text' with no interpolation
	tStringLeft  // 'text${
	tStringMid   // }text${
	tStringRight // }text'
	tMultiline   // '''text'''
	tLBrace
	tRBrace
	tLBrack
	tRBrack
	tLParen
	tRParen
	tComma
	tDot
	tColon
	tDoubleColon
	tQuestion
	tDoubleQuestion
	tAssign
	tEq
	tNeq
	tEqI
	tNeqI
	tNot
	tLt
	tLe
	tGt
	tGe
	tPlus
	tMinus
	tStar
	tSlash
	tPercent
	tAnd
	tOr
	tPipe
	tArrow
	tAt
	tEllipsis
	tHat
)

// tokText is how each kind is named in errors.
var tokText = [...]string{
	tEOF:            "end of file",
	tNewline:        "end of line",
	tIdent:          "identifier",
	tInt:            "integer",
	tString:         "string",
	tStringLeft:     "string",
	tStringMid:      "string",
	tStringRight:    "string",
	tMultiline:      "multi-line string",
	tLBrace:         "'{'",
	tRBrace:         "'}'",
	tLBrack:         "'['",
	tRBrack:         "']'",
	tLParen:         "'('",
	tRParen:         "')'",
	tComma:          "','",
	tDot:            "'.'",
	tColon:          "':'",
	tDoubleColon:    "'::'",
	tQuestion:       "'?'",
	tDoubleQuestion: "'??'",
	tAssign:         "'='",
	tEq:             "'=='",
	tNeq:            "'!='",
	tEqI:            "'=~'",
	tNeqI:           "'!~'",
	tNot:            "'!'",
	tLt:             "'<'",
	tLe:             "'<='",
	tGt:             "'>'",
	tGe:             "'>='",
	tPlus:           "'+'",
	tMinus:          "'-'",
	tStar:           "'*'",
	tSlash:          "'/'",
	tPercent:        "'%'",
	tAnd:            "'&&'",
	tOr:             "'||'",
	tPipe:           "'|'",
	tArrow:          "'=>'",
	tAt:             "'@'",
	tEllipsis:       "'...'",
	tHat:            "'^'",
}

func (k tokKind) String() string { return tokText[k] }

// token is one lexical token. text is the source text of identifiers and
// integers; val is the decoded text of string pieces.
type token struct {
	kind tokKind
	pos  Pos
	text string
	val  string
}

// describe names the token in an error: its kind, and its text for
// identifiers and integers (never a string's content, which may be a
// secret).
func (t token) describe() string {
	switch t.kind {
	case tIdent:
		return fmt.Sprintf("'%.64s'", t.text)
	case tInt:
		return "integer " + t.text
	}
	return t.kind.String()
}
