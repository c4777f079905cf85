package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// chatKind holds what differs between group chats and legacy multi-person chats ("rooms"),
// so that one implementation serves the data sources that exist for both.
type chatKind struct {
	chatType lineclient.ChatType
	idAttr   string // "group_id" or "room_id"
	noun     string // "group chat" or "multi-person chat"
	pattern  *regexp.Regexp
	format   string
}

var (
	groupKind = chatKind{
		chatType: lineclient.Group,
		idAttr:   "group_id",
		noun:     "group chat",
		pattern:  lineclient.GroupIDPattern,
		format:   lineclient.GroupIDFormat,
	}
	roomKind = chatKind{
		chatType: lineclient.Room,
		idAttr:   "room_id",
		noun:     "multi-person chat",
		pattern:  lineclient.RoomIDPattern,
		format:   lineclient.RoomIDFormat,
	}
)

func (k chatKind) chat(id string) lineclient.Chat {
	return lineclient.Chat{Type: k.chatType, ID: id}
}

// idDescription documents the kind's ID attribute.
func (k chatKind) idDescription() string {
	return "The " + k.noun + "'s ID: " + k.format + "."
}

// eitherIDDescription documents the kind's ID where group_id and room_id are alternatives.
func (k chatKind) eitherIDDescription() string {
	return k.idDescription() + " Exactly one of `group_id` and `room_id` is required."
}

// idAttribute is the required chat ID argument of the kind's data sources.
func (k chatKind) idAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		MarkdownDescription: k.idDescription(),
		Validators:          []validator.String{k.idValidator()},
	}
}

// idValidator checks an ID at plan, with an error that names the attribute and the format.
func (k chatKind) idValidator() validator.String {
	return stringMatches(k.pattern, k.format)
}

var userIDValidator = stringMatches(lineclient.UserIDPattern, lineclient.UserIDFormat)

// chatOf names the chat of a configuration that sets exactly one of group_id and room_id.
func chatOf(groupID, roomID types.String) lineclient.Chat {
	if !groupID.IsNull() {
		return lineclient.GroupChat(groupID.ValueString())
	}
	return lineclient.RoomChat(roomID.ValueString())
}

// kindOf is the chatKind of a chat.
func kindOf(chat lineclient.Chat) chatKind {
	if chat.Type == lineclient.Room {
		return roomKind
	}
	return groupKind
}
