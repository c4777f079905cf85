package linemock

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Flex messages (REFERENCE.md §15.4). The mock checks the structure LINE's OpenAPI file gives
// a Flex container, not every property: a container is a bubble or a carousel of 1 to 12
// bubbles; a bubble has at least one block; header, body and footer are boxes, the hero a box,
// an image or a video; a box has a layout and an array of components, each of a type LINE
// knows. A problem answers "A message (messages[N]) in the request body is invalid" with a
// JSON pointer relative to the container, as LINE's observed answers have it.

const (
	maxCarouselBubbles = 12

	detailNoBlock      = "At least one block must be specified" // LINE's (observed)
	detailCarouselSize = "Size must be between 1 and 12"        // choice
)

// flexComponentTypes are the component types of LINE's OpenAPI file (FlexComponent). The
// spacer, which LINE no longer accepts, is not among them.
var flexComponentTypes = []string{"box", "button", "image", "video", "icon", "text", "span", "separator", "filler"}

var boxLayouts = []string{"horizontal", "vertical", "baseline"}

// checkFlex checks a Flex container (a flex message's "contents"), returning the details of
// its first problem, or nil.
func checkFlex(contents json.RawMessage) []errorDetail {
	obj, ok := jsonObjectOf(contents)
	if !ok {
		return []errorDetail{{detailInvalidProperty, "/"}}
	}
	switch jsonStringOf(obj["type"]) {
	case "bubble":
		return checkBubble(obj, "")
	case "carousel":
		var bubbles []json.RawMessage
		if json.Unmarshal(obj["contents"], &bubbles) != nil || len(bubbles) < 1 || len(bubbles) > maxCarouselBubbles {
			return []errorDetail{{detailCarouselSize, "/contents"}}
		}
		for i, raw := range bubbles {
			at := fmt.Sprintf("/contents/%d", i)
			bubble, ok := jsonObjectOf(raw)
			if !ok || jsonStringOf(bubble["type"]) != "bubble" {
				return []errorDetail{{detailInvalidProperty, at}}
			}
			if d := checkBubble(bubble, at); d != nil {
				return d
			}
		}
		return nil
	}
	return []errorDetail{{detailInvalidProperty, "/"}}
}

// checkBubble checks a bubble at the pointer at ("" for the container itself).
func checkBubble(bubble map[string]json.RawMessage, at string) []errorDetail {
	hasBlock := false
	for _, block := range []string{"header", "hero", "body", "footer"} {
		raw, ok := bubble[block]
		if !ok || string(raw) == "null" {
			continue
		}
		hasBlock = true
		comp, ok := jsonObjectOf(raw)
		kind := jsonStringOf(comp["type"])
		if !ok || (kind != "box" && (block != "hero" || (kind != "image" && kind != "video"))) {
			return []errorDetail{{detailInvalidProperty, at + "/" + block}}
		}
		if d := checkComponent(comp, at+"/"+block); d != nil {
			return d
		}
	}
	if !hasBlock {
		root := at
		if root == "" {
			root = "/"
		}
		return []errorDetail{{detailNoBlock, root}}
	}
	return nil
}

// checkComponent checks a component at the pointer at, and a box's components in turn.
func checkComponent(comp map[string]json.RawMessage, at string) []errorDetail {
	kind := jsonStringOf(comp["type"])
	if !slices.Contains(flexComponentTypes, kind) {
		return []errorDetail{{detailInvalidProperty, at}}
	}
	if kind != "box" {
		return nil
	}
	if !slices.Contains(boxLayouts, jsonStringOf(comp["layout"])) {
		return []errorDetail{{detailInvalidProperty, at + "/layout"}}
	}
	var children []json.RawMessage
	if json.Unmarshal(comp["contents"], &children) != nil || children == nil {
		return []errorDetail{{detailInvalidProperty, at + "/contents"}}
	}
	for i, raw := range children {
		child, ok := jsonObjectOf(raw)
		where := fmt.Sprintf("%s/contents/%d", at, i)
		if !ok {
			return []errorDetail{{detailInvalidProperty, where}}
		}
		if d := checkComponent(child, where); d != nil {
			return d
		}
	}
	return nil
}

func jsonObjectOf(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return nil, false
	}
	return m, true
}

// jsonStringOf returns a JSON string's value, or "" for anything else.
func jsonStringOf(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}
