package lineclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/line/line-bot-sdk-go/v8/linebot/messaging_api"
)

// Message objects beyond a plain text: text message v2 with mentions, and raw LINE message
// objects sent as written (line-api.md §10–§12).

const (
	// MentionAll, as a mention's target, mentions everyone in the chat: LINE shows "@All".
	MentionAll = "all"
	// MaxMentions is the most mentions a text message v2 may carry.
	MaxMentions = 20
	// MaxMessages is the most message objects one push carries.
	MaxMessages = 5
)

// SubstitutionKeyPattern is what LINE accepts as a placeholder's key in a text message v2.
var SubstitutionKeyPattern = regexp.MustCompile(`^[a-zA-Z0-9_]{1,20}$`)

// RetryKeyPattern is what LINE takes as an X-Line-Retry-Key: a UUID in hexadecimal digits,
// of any version.
var RetryKeyPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// RetryKeyFormat describes RetryKeyPattern in words.
const RetryKeyFormat = "a UUID: 32 hexadecimal digits in groups of 8, 4, 4, 4 and 12, joined by hyphens"

// TemplateProblem is one reason LINE would refuse a text message v2 and its mentions.
type TemplateProblem struct {
	// Placeholder is set for a problem with the text's placeholder {Key}; Mention for one
	// with the mention Key (its key or its target), or with the mentions as a whole when Key
	// is empty; neither for the text as a whole.
	Placeholder, Mention bool
	Key                  string
	Reason               string
}

func (p TemplateProblem) Error() string {
	switch {
	case p.Mention && p.Key == "":
		return "the mentions " + p.Reason
	case p.Mention:
		return fmt.Sprintf("mention %q %s", p.Key, p.Reason)
	case p.Placeholder:
		return fmt.Sprintf("placeholder {%s} %s", p.Key, p.Reason)
	}
	return "the text " + p.Reason
}

// TemplateError lists every problem CheckTextV2 found; nothing was sent.
type TemplateError struct{ Problems []TemplateProblem }

func (e *TemplateError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return "the text message v2 would be refused: " + strings.Join(parts, "; ")
}

// placeholders reads a text message v2 left to right, as LINE documents its escapes, and
// returns the key of each placeholder in order: "{{" is a literal '{' and "}}" a literal '}'
// wherever they start, any other '{' opens a placeholder that the next '}' closes. An unpaired
// brace is a problem, and ends the reading.
func placeholders(text string) ([]string, *TemplateProblem) {
	var keys []string
	for i := 0; i < len(text); {
		switch {
		case strings.HasPrefix(text[i:], "{{"), strings.HasPrefix(text[i:], "}}"):
			i += 2
		case text[i] == '}':
			return keys, &TemplateProblem{Reason: fmt.Sprintf("has a '}' at character %d without a '{' before it: "+
				"write '}}' for a literal '}'", charIndex(text, i))}
		case text[i] == '{':
			end := strings.IndexByte(text[i+1:], '}')
			if end < 0 {
				return keys, &TemplateProblem{Reason: fmt.Sprintf("has a '{' at character %d without a '}' after it: "+
					"write '{{' for a literal '{'", charIndex(text, i))}
			}
			keys = append(keys, text[i+1:i+1+end])
			i += end + 2
		default:
			i++
		}
	}
	return keys, nil
}

// charIndex is the 1-based position, in characters, of the byte at i.
func charIndex(s string, i int) int { return len([]rune(s[:i])) + 1 }

// CheckTextV2 checks a text message v2 and its mentions (placeholder key → MentionAll or a
// user ID) before anything is sent: CheckMentions and CheckTemplate together. It returns nil
// or a *TemplateError.
func CheckTextV2(text string, mentions map[string]string) error {
	problems := append(CheckMentions(mentions), CheckTemplate(text, slices.Collect(maps.Keys(mentions)))...)
	if len(problems) > 0 {
		return &TemplateError{Problems: problems}
	}
	return nil
}

// CheckMentions checks mentions on their own: every key matches SubstitutionKeyPattern,
// every target is MentionAll or a user ID, and there are at most MaxMentions.
func CheckMentions(mentions map[string]string) []TemplateProblem {
	var problems []TemplateProblem
	for _, key := range slices.Sorted(maps.Keys(mentions)) {
		target := mentions[key]
		switch {
		case !SubstitutionKeyPattern.MatchString(key):
			problems = append(problems, TemplateProblem{Key: key, Mention: true, Reason: "has a key other than 1 to 20 " +
				"letters, digits and underscores"})
		case target != MentionAll && checkUserID(target) != nil:
			problems = append(problems, TemplateProblem{Key: key, Mention: true, Reason: fmt.Sprintf("mentions %s: "+
				"give %q (everyone), or %s", quoteShort(target), MentionAll, UserIDFormat)})
		}
	}
	if len(mentions) > MaxMentions {
		problems = append(problems, TemplateProblem{Mention: true, Reason: fmt.Sprintf("are %d: LINE allows at most %d",
			len(mentions), MaxMentions)})
	}
	return problems
}

// CheckTemplate checks a text message v2 against the keys of its mentions: the braces pair
// up; every placeholder's key matches SubstitutionKeyPattern and has a mention; every
// mention of a well-formed key is used; at most MaxMentions placeholders, each use counting.
// LINE itself accepts an unused mention; refusing it catches a misspelt placeholder.
func CheckTemplate(text string, mentionKeys []string) []TemplateProblem {
	var problems []TemplateProblem
	keys, bad := placeholders(text)
	used := map[string]bool{}
	for _, key := range keys {
		if used[key] {
			continue
		}
		used[key] = true
		switch {
		case !SubstitutionKeyPattern.MatchString(key):
			problems = append(problems, TemplateProblem{Placeholder: true, Key: key, Reason: "has a key other than 1 to " +
				"20 letters, digits and underscores: write '{{' and '}}' for literal braces"})
		case !slices.Contains(mentionKeys, key):
			problems = append(problems, TemplateProblem{Placeholder: true, Key: key, Reason: "has no mention: add it to " +
				"the mentions, or write '{{' and '}}' for literal braces"})
		}
	}
	if bad != nil {
		problems = append(problems, *bad)
	}
	if len(keys) > MaxMentions {
		problems = append(problems, TemplateProblem{Reason: fmt.Sprintf("has %d placeholders: LINE allows at most %d "+
			"mentions in a message, each use of a placeholder counting once", len(keys), MaxMentions)})
	}
	if bad == nil {
		for _, key := range slices.Sorted(slices.Values(mentionKeys)) {
			if SubstitutionKeyPattern.MatchString(key) && !used[key] {
				problems = append(problems, TemplateProblem{Key: key, Mention: true, Reason: "is not used: the text has no " +
					"{" + key + "} placeholder"})
			}
		}
	}
	return problems
}

// textV2Message builds the SDK's text message v2 for a checked template.
func textV2Message(text string, mentions map[string]string) *messaging_api.TextMessageV2 {
	subst := make(map[string]messaging_api.SubstitutionObjectInterface, len(mentions))
	for key, target := range mentions {
		var mentionee messaging_api.MentionTargetInterface = &messaging_api.UserMentionTarget{UserId: target}
		if target == MentionAll {
			mentionee = &messaging_api.AllMentionTarget{}
		}
		subst[key] = &messaging_api.MentionSubstitutionObject{Mentionee: mentionee}
	}
	return &messaging_api.TextMessageV2{Text: text, Substitution: subst}
}

// MentionedUsers returns the user IDs that message objects mention (text message v2
// substitutions), in order of first appearance; nil when none do.
func MentionedUsers(messages []json.RawMessage) []string {
	var users []string
	for _, raw := range messages {
		var msg struct {
			Type         string `json:"type"`
			Substitution map[string]struct {
				Type      string `json:"type"`
				Mentionee struct {
					Type   string `json:"type"`
					UserID string `json:"userId"`
				} `json:"mentionee"`
			} `json:"substitution"`
		}
		if json.Unmarshal(raw, &msg) != nil || msg.Type != "textV2" {
			continue
		}
		for _, key := range slices.Sorted(maps.Keys(msg.Substitution)) {
			sub := msg.Substitution[key]
			if sub.Type == "mention" && sub.Mentionee.Type == "user" && !slices.Contains(users, sub.Mentionee.UserID) {
				users = append(users, sub.Mentionee.UserID)
			}
		}
	}
	return users
}

// MessagesError says why message objects cannot be sent as they are; nothing was sent.
type MessagesError struct{ Reason string }

func (e *MessagesError) Error() string { return e.Reason }

// ParseMessages reads a JSON array of 1 to MaxMessages LINE message objects, each a JSON
// object with a "type", as push sends them. It returns each object as written.
func ParseMessages(data string) ([]json.RawMessage, error) {
	dec := json.NewDecoder(strings.NewReader(data))
	var items []json.RawMessage
	if err := dec.Decode(&items); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, &MessagesError{Reason: fmt.Sprintf("is JSON %s, not an array of message objects", typeErr.Value)}
		}
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) {
			return nil, &MessagesError{Reason: fmt.Sprintf("is not valid JSON: %v (at byte %d)", err, syntaxErr.Offset)}
		}
		return nil, &MessagesError{Reason: "is not valid JSON: " + err.Error()}
	}
	// Only whitespace may follow the array: Decode stops at its end, and More is false at a
	// stray "]" or "}".
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return nil, &MessagesError{Reason: "holds more than one JSON value: give one array of message objects"}
		}
		at := int(end) + max(0, strings.IndexFunc(data[end:], func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) }))
		r, _ := utf8.DecodeRuneInString(data[at:])
		return nil, &MessagesError{Reason: fmt.Sprintf("has %q after the array of message objects (at byte %d): give one "+
			"JSON array", string(r), at+1)}
	}
	if items == nil {
		return nil, &MessagesError{Reason: "is JSON null, not an array of message objects"}
	}
	if len(items) < 1 || len(items) > MaxMessages {
		return nil, &MessagesError{Reason: fmt.Sprintf("holds %d message objects: LINE sends 1 to %d in one push",
			len(items), MaxMessages)}
	}
	for i, item := range items {
		var obj map[string]json.RawMessage
		if json.Unmarshal(item, &obj) != nil || obj == nil {
			return nil, &MessagesError{Reason: fmt.Sprintf("has an element [%d] that is not a JSON object", i)}
		}
		var typ string
		if json.Unmarshal(obj["type"], &typ) != nil || typ == "" {
			return nil, &MessagesError{Reason: fmt.Sprintf("has an element [%d] without a \"type\" (such as \"text\", "+
				"\"textV2\", \"flex\", \"sticker\" or \"image\")", i)}
		}
		items[i] = bytes.TrimSpace(item)
	}
	return items, nil
}

// rawMessage is a message object sent through the SDK exactly as written: the SDK marshals
// any MessageInterface it does not know as the value's own JSON.
type rawMessage json.RawMessage

func (m rawMessage) GetType() string {
	var obj struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(m, &obj)
	return obj.Type
}

func (m rawMessage) MarshalJSON() ([]byte, error) { return m, nil }
