package linemock

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// Text message v2 (REFERENCE.md §15.2): a text with {key} placeholders, each replaced by a
// mention or a LINE emoji given in "substitution"; "{{" and "}}" show a brace.

const (
	maxSubstitutions = 100
	maxMentions      = 20
	maxEmojis        = 20

	substitutionMention = "mention"
	substitutionEmoji   = "emoji"
	mentioneeUser       = "user"
	mentioneeAll        = "all"
)

// substitutionKeyPattern is the pattern LINE names in its error for a bad key.
var substitutionKeyPattern = regexp.MustCompile(`^[a-zA-Z0-9_]{1,20}$`)

// Details of the textV2 checks. The key pattern's is LINE's (observed); the others are the
// mock's choices (REFERENCE.md §15.2).
func detailKeyPattern(key string) string {
	return "The key '" + key + "' enclosed in '{}' does not match the pattern '^[a-zA-Z0-9_]{1,20}$'."
}

func detailKeyUndefined(key string) string {
	return "The key '" + key + "' enclosed in '{}' is not defined in 'substitution'."
}

const (
	detailUnpairedOpen  = "The text has a '{' without a matching '}'. Write '{{' to show '{'."
	detailUnpairedClose = "The text has a '}' without a matching '{'. Write '}}' to show '}'."
	detailSubstSize     = "Size must be between 0 and 100"
	detailMentionCount  = "The number of mentions must be between 0 and 20"
	detailEmojiCount    = "The number of emojis must be between 0 and 20"
	detailSubstType     = "Must be one of the following values: [mention, emoji]"
	detailMentioneeType = "Must be one of the following values: [user, all]"
	detailInvalidUserID = "Invalid user ID"
)

// textPart is a piece of a textV2 text: literal text, or a placeholder's key.
type textPart struct {
	literal string
	key     string // "" for literal text
}

// substitution is one checked entry of "substitution".
type substitution struct {
	mention bool
	userID  string // a mention of one user; "" with mention set: everyone (@All)
}

// parseTextV2 splits text into literal runs and placeholders, reading left to right: "{{" is
// a literal '{' and "}}" a literal '}' wherever they start; any other '{' opens a placeholder
// that the next '}' closes. So "{{{a}}}" shows "{", the placeholder a, then "}". It returns
// the details of every key that does not match LINE's pattern, and stops at an unpaired brace.
func parseTextV2(text string) (parts []textPart, details []errorDetail) {
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, textPart{literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(text); {
		switch {
		case strings.HasPrefix(text[i:], "{{"):
			lit.WriteByte('{')
			i += 2
		case strings.HasPrefix(text[i:], "}}"):
			lit.WriteByte('}')
			i += 2
		case text[i] == '}':
			return parts, append(details, errorDetail{detailUnpairedClose, "text"})
		case text[i] == '{':
			end := strings.IndexByte(text[i+1:], '}')
			if end < 0 {
				return parts, append(details, errorDetail{detailUnpairedOpen, "text"})
			}
			key := text[i+1 : i+1+end]
			if !substitutionKeyPattern.MatchString(key) {
				details = append(details, errorDetail{detailKeyPattern(key), "text"})
			}
			flush()
			parts = append(parts, textPart{key: key})
			i += end + 2
		default:
			lit.WriteByte(text[i])
			i++
		}
	}
	flush()
	return parts, details
}

// checkTextV2 checks a textV2 message's substitution and placeholders (REFERENCE.md §15.2),
// and keeps the parsed text for render. The limits of 20 mentions and 20 emoji count the
// placeholders of the text (a key used twice counts twice), since "substitution" may hold up
// to 100 entries that the text need not all use. Membership is not checked here: validate
// cannot check it, and push checks it with the chat (mentionsReachable).
func (m *messageObject) checkTextV2() []errorDetail {
	var entries map[string]json.RawMessage
	_ = json.Unmarshal(m.fields["substitution"], &entries) // an object, or absent (decodeMessages)
	var details []errorDetail
	if len(entries) > maxSubstitutions {
		details = append(details, errorDetail{detailSubstSize, "substitution"})
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	m.subst = make(map[string]substitution, len(entries))
	for _, k := range keys {
		sub, ds := checkSubstitution(k, entries[k])
		details = append(details, ds...)
		if len(ds) == 0 {
			m.subst[k] = sub
		}
	}
	parts, ds := parseTextV2(m.str("text"))
	details = append(details, ds...)
	if len(ds) > 0 {
		return details
	}
	mentions, emojis := 0, 0
	undefined := map[string]bool{}
	for _, p := range parts {
		if p.key == "" {
			continue
		}
		if _, ok := entries[p.key]; !ok {
			if !undefined[p.key] {
				details = append(details, errorDetail{detailKeyUndefined(p.key), "text"})
			}
			undefined[p.key] = true
		} else if sub, ok := m.subst[p.key]; ok && sub.mention {
			mentions++
		} else if ok {
			emojis++
		}
	}
	if mentions > maxMentions {
		details = append(details, errorDetail{detailMentionCount, "text"})
	}
	if emojis > maxEmojis {
		details = append(details, errorDetail{detailEmojiCount, "text"})
	}
	m.parts = parts
	return details
}

// checkSubstitution checks one entry; properties are relative to the message.
func checkSubstitution(key string, raw json.RawMessage) (substitution, []errorDetail) {
	at := func(path string) string { return "substitution." + key + path }
	var entry struct {
		Type      *string          `json:"type"`
		Mentionee *json.RawMessage `json:"mentionee"`
		UserID    *string          `json:"userId"`
		ProductID *string          `json:"productId"`
		EmojiID   *string          `json:"emojiId"`
	}
	if !isKind(raw, kindObject) || json.Unmarshal(raw, &entry) != nil {
		return substitution{}, []errorDetail{{detailInvalidProperty, at("")}}
	}
	switch {
	case entry.Type == nil || *entry.Type == "":
		return substitution{}, []errorDetail{{detailMayNotBeEmpty, at(".type")}}
	case *entry.Type == substitutionEmoji:
		var details []errorDetail
		if entry.ProductID == nil || *entry.ProductID == "" {
			details = append(details, errorDetail{detailMayNotBeEmpty, at(".productId")})
		}
		if entry.EmojiID == nil || *entry.EmojiID == "" {
			details = append(details, errorDetail{detailMayNotBeEmpty, at(".emojiId")})
		}
		return substitution{}, details
	case *entry.Type != substitutionMention:
		return substitution{}, []errorDetail{{detailSubstType, at(".type")}}
	case entry.Mentionee == nil || string(*entry.Mentionee) == "null":
		return substitution{}, []errorDetail{{detailMayNotBeEmpty, at(".mentionee")}}
	}
	var target struct {
		Type   *string `json:"type"`
		UserID *string `json:"userId"`
	}
	if !isKind(*entry.Mentionee, kindObject) || json.Unmarshal(*entry.Mentionee, &target) != nil {
		return substitution{}, []errorDetail{{detailInvalidProperty, at(".mentionee")}}
	}
	switch {
	case target.Type == nil || *target.Type == "":
		return substitution{}, []errorDetail{{detailMayNotBeEmpty, at(".mentionee.type")}}
	case *target.Type == mentioneeAll:
		return substitution{mention: true}, nil
	case *target.Type != mentioneeUser:
		return substitution{}, []errorDetail{{detailMentioneeType, at(".mentionee.type")}}
	case target.UserID == nil || *target.UserID == "":
		return substitution{}, []errorDetail{{detailMayNotBeEmpty, at(".mentionee.userId")}}
	case !isUserID(*target.UserID):
		return substitution{}, []errorDetail{{detailInvalidUserID, at(".mentionee.userId")}}
	}
	return substitution{mention: true, userID: *target.UserID}, nil
}

// mentionees returns who a checked textV2 message mentions, in order of first use in its
// text: user IDs, and "all" for @All. Entries the text does not use mention no one.
func (m *messageObject) mentionees() []string {
	var out []string
	for _, p := range m.parts {
		sub, ok := m.subst[p.key]
		if p.key == "" || !ok || !sub.mention {
			continue
		}
		who := sub.userID
		if who == "" {
			who = mentioneeAll
		}
		if !slices.Contains(out, who) {
			out = append(out, who)
		}
	}
	return out
}

// render returns the text as the chat shows it: braces unescaped, "@" and the display name
// for a mentioned user (the user ID for one the mock does not know), "@All" for everyone, and
// "(emoji)" for a LINE emoji (choice: the mock has no emoji images). s.mu held.
func (m *messageObject) render(users map[string]*User) string {
	var b strings.Builder
	for _, p := range m.parts {
		sub := m.subst[p.key]
		switch {
		case p.key == "":
			b.WriteString(p.literal)
		case !sub.mention:
			b.WriteString("(emoji)")
		case sub.userID == "":
			b.WriteString("@All")
		case users[sub.userID] != nil:
			b.WriteString("@" + users[sub.userID].DisplayName)
		default:
			b.WriteString("@" + sub.userID)
		}
	}
	return b.String()
}

// mentionsReachable reports whether every mention of msgs can be delivered to the chat c
// (nil: a user): mentions need a group or room, and every mentioned user must be a member of
// it (REFERENCE.md §15.2). The bot is in c, or the push failed before. s.mu held.
func mentionsReachable(msgs []messageObject, c *chat) bool {
	for i := range msgs {
		for _, who := range msgs[i].mentionees() {
			if c == nil || (who != mentioneeAll && !c.hasMember(who)) {
				return false
			}
		}
	}
	return true
}
