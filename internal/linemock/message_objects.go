package linemock

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Message objects, as push and validate check them (REFERENCE.md §15). LINE answers a bad
// message object in one of two families:
//
//   - schema errors, all together: 400 "The request body has N error(s)" with details whose
//     property is absolute ("messages[0].text");
//   - a content problem inside one message (a textV2 placeholder, a Flex structure): 400 "A
//     message (messages[N]) in the request body is invalid" with details whose property is
//     relative to that message ("text") or, for Flex, a JSON pointer into its container
//     ("/body/contents/0").
//
// A property of the wrong JSON type answers "The property, '…', in the request body is
// invalid (line: -, column: -)" before either.

const (
	maxAltTextLength = 1500

	detailInvalidProperty = "invalid property" // LINE's, for Flex (REFERENCE.md §15.4)
)

// messageTypes are the message types LINE's OpenAPI file lists, in the order the mock
// names them in its error (choice).
var messageTypes = []string{"text", "textV2", "image", "video", "audio", "location", "sticker", "imagemap", "template", "flex", "coupon"}

// quotableTypes are the message types whose sent message gets a quote token.
var quotableTypes = []string{"text", "textV2", "sticker", "image", "video", "template", "flex"}

// requiredFields are each message type's required properties (LINE's OpenAPI schemas).
var requiredFields = map[string][]string{
	"text":     {"text"},
	"textV2":   {"text"},
	"image":    {"originalContentUrl", "previewImageUrl"},
	"video":    {"originalContentUrl", "previewImageUrl"},
	"audio":    {"originalContentUrl", "duration"},
	"location": {"title", "address", "latitude", "longitude"},
	"sticker":  {"packageId", "stickerId"},
	"imagemap": {"baseUrl", "altText", "baseSize", "actions"},
	"template": {"altText", "template"},
	"flex":     {"altText", "contents"},
	"coupon":   {"couponId"},
}

// fieldKinds are the JSON types the mock checks before anything else (the wrong type answers
// the "property ... is invalid" family), by message type.
var fieldKinds = map[string]map[string]fieldKind{
	"":         {"type": kindString},
	"text":     {"text": kindString},
	"textV2":   {"text": kindString, "substitution": kindObject},
	"flex":     {"altText": kindString, "contents": kindObject},
	"template": {"altText": kindString},
	"imagemap": {"altText": kindString},
}

type fieldKind int

const (
	kindString fieldKind = iota
	kindObject
)

func isKind(raw json.RawMessage, kind fieldKind) bool {
	switch kind {
	case kindString:
		var s string
		return json.Unmarshal(raw, &s) == nil
	case kindObject:
		_, ok := jsonObjectOf(raw)
		return ok
	}
	return false
}

// messageObject is one message object of a body.
type messageObject struct {
	raw    json.RawMessage
	fields map[string]json.RawMessage
	typ    string
	// Set for a message that passed every check:
	shown string     // what the chat shows as text (PushedMessage.Texts); textV2: see render
	parts []textPart // textV2: the text, parsed
	subst map[string]substitution
}

// present reports whether the field is there and not null.
func (m *messageObject) present(name string) bool {
	v, ok := m.fields[name]
	return ok && string(v) != "null"
}

// str returns a string field, "" when absent, null or not a string.
func (m *messageObject) str(name string) string {
	var s string
	_ = json.Unmarshal(m.fields[name], &s)
	return s
}

// decodeMessages reads the "messages" property: each item must be a JSON object, and the
// fields the mock reads must have the right JSON type. It answers the "property ... is
// invalid" family otherwise.
func decodeMessages(raw json.RawMessage) ([]messageObject, *errorWithDetails) {
	var items []json.RawMessage
	if !decodeOptional(raw, &items) {
		return nil, propertyInvalid("messages")
	}
	msgs := make([]messageObject, len(items))
	for i, item := range items {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(item, &fields); err != nil || fields == nil {
			return nil, propertyInvalid(fmt.Sprintf("messages[%d]", i))
		}
		m := messageObject{raw: item, fields: fields}
		if bad := m.checkKinds(fieldKinds[""]); bad != "" {
			return nil, propertyInvalid(fmt.Sprintf("messages[%d].%s", i, bad))
		}
		m.typ = m.str("type")
		if bad := m.checkKinds(fieldKinds[m.typ]); bad != "" {
			return nil, propertyInvalid(fmt.Sprintf("messages[%d].%s", i, bad))
		}
		msgs[i] = m
	}
	return msgs, nil
}

// checkKinds returns the first field (by name) whose JSON type is wrong, or "".
func (m *messageObject) checkKinds(kinds map[string]fieldKind) string {
	names := make([]string, 0, len(kinds))
	for name := range kinds {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if m.present(name) && !isKind(m.fields[name], kinds[name]) {
			return name
		}
	}
	return ""
}

func propertyInvalid(property string) *errorWithDetails {
	return &errorWithDetails{Message: fmt.Sprintf(propertyInvalidPattern, property)}
}

// schemaDetails lists the schema errors of the messages: their number, each one's type,
// its required properties, and the lengths LINE documents.
func schemaDetails(msgs []messageObject) []errorDetail {
	var details []errorDetail
	if len(msgs) < 1 || len(msgs) > maxPushMessages {
		details = append(details, errorDetail{detailMessagesSize, "messages"})
	}
	for i := range msgs {
		m := &msgs[i]
		at := func(field string) string { return fmt.Sprintf("messages[%d].%s", i, field) }
		if m.typ == "" {
			details = append(details, errorDetail{detailMayNotBeEmpty, at("type")})
			continue
		}
		required, known := requiredFields[m.typ]
		if !known {
			details = append(details, errorDetail{msgTypeOneOf, at("type")})
			continue
		}
		for _, field := range required {
			if !m.present(field) || string(m.fields[field]) == `""` {
				details = append(details, errorDetail{detailMayNotBeEmpty, at(field)})
			}
		}
		switch m.typ {
		case "text", "textV2":
			if utf16Len(m.str("text")) > maxTextUTF16 {
				details = append(details, errorDetail{detailTextLength, at("text")})
			}
		case "flex", "template", "imagemap":
			if utf16Len(m.str("altText")) > maxAltTextLength {
				details = append(details, errorDetail{detailAltTextLength, at("altText")})
			}
		}
	}
	return details
}

// msgTypeOneOf follows the form of LINE's detail for an unknown type (REFERENCE.md §15.1),
// with today's list of types.
var msgTypeOneOf = "Must be one of the following values: [" + strings.Join(messageTypes, ", ") + "]"

const detailAltTextLength = "Length must be between 0 and 1500"

// msgMessageInvalid is the family of content problems inside message i.
func msgMessageInvalid(i int) string {
	return fmt.Sprintf("A message (messages[%d]) in the request body is invalid", i)
}

// contentError checks what is inside each message (textV2 placeholders and substitution,
// Flex structure) and answers for the first message with a problem, listing its details.
func contentError(msgs []messageObject) *errorWithDetails {
	for i := range msgs {
		m := &msgs[i]
		var details []errorDetail
		switch m.typ {
		case "text":
			m.shown = m.str("text")
		case "textV2":
			details = m.checkTextV2()
		case "flex":
			details = checkFlex(m.fields["contents"])
			m.shown = m.str("altText")
		case "template", "imagemap":
			m.shown = m.str("altText")
		default:
			m.shown = "(" + m.typ + ")"
		}
		if len(details) > 0 {
			return &errorWithDetails{Message: msgMessageInvalid(i), Details: details}
		}
	}
	return nil
}
