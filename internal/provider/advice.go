package provider

import (
	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// notInChatAdvice says what to do about a chat the bot is not in. LINE has no API call that
// joins a chat, so the only way in is a member's invitation; create, import, the replacement
// check and the data sources' 404 all end with these words, so that they never disagree.
func notInChatAdvice(kind chatKind) string {
	where := "the group"
	if kind.chatType == lineclient.Room {
		where = "the multi-person chat"
	}
	advice := "Invite the LINE Official Account into " + where + " from the LINE app, then try again. A bot can be " +
		"invited only when \"Allow bot to join group chats\" is enabled for the channel (LINE Official Account " +
		"Manager, Settings, Account settings)."
	if kind.chatType == lineclient.Room {
		advice += " LINE now creates new multi-person chats as group chats, so a chat created recently has a " +
			"group ID (C…)."
	}
	return advice
}

// notMemberDetail explains LINE's 404 for a chat the bot should be in, and what to do.
func notMemberDetail(chat lineclient.Chat) string {
	return "LINE answered 404 Not found: the " + kindOf(chat).noun + " does not exist or the bot is not a member " +
		"of it. LINE has no API call that makes a bot join a chat, so line_bot_membership can only adopt a chat " +
		"the bot is already in.\n\n" + notInChatAdvice(kindOf(chat))
}

// strandingDetail explains why a replacement from one chat to another that the bot is not in
// is refused at plan: destroy runs first, the bot leaves for good, and the create then fails.
func strandingDetail(from, to lineclient.Chat) string {
	return "The chat changes from " + from.String() + " to " + to.String() + ", which replaces this " +
		"line_bot_membership. LINE answered 404 Not found for " + to.String() + ": the bot is not in it (or the " +
		"chat does not exist). Applying would make the bot leave " + from.String() + " for good, since only a " +
		"member's new invitation brings a bot back, and then fail to adopt " + to.String() + ". The plan stops " +
		"here and nothing has changed.\n\n" +
		"The bot must be in " + to.String() + " before this change can apply. " + notInChatAdvice(kindOf(to)) + "\n\n" +
		"To keep the bot in " + from.String() + " as well, keep this resource and add another " +
		"line_bot_membership for " + to.String() + " (or rename this one with a moved block and add a new one). " +
		"With lifecycle { create_before_destroy = true }, Terraform adopts the new chat before the bot leaves " +
		"the old one, which also protects chat IDs known only at apply; this check applies either way, since " +
		"the provider cannot see lifecycle settings."
}
