package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The data sources that serve groups and rooms name their chat ID attribute after the kind
// (group_id or room_id). The framework maps a model to a schema field by field, so each kind
// has its own model struct: the kind's ID attribute embedded next to the fields both kinds
// share, F, which the framework flattens. chatModel lets one Read serve both.

type groupIDAttr struct {
	GroupID types.String `tfsdk:"group_id"`
}

type roomIDAttr struct {
	RoomID types.String `tfsdk:"room_id"`
}

func (a *groupIDAttr) chatID() types.String { return a.GroupID }
func (a *roomIDAttr) chatID() types.String  { return a.RoomID }

// chatModel is a pointer to a kind's model struct: its chat ID, and the fields F shared by
// both kinds, which Read fills in.
type chatModel[F any] interface {
	chatID() types.String
	shared() *F
}
