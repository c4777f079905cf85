package linemock

import (
	"net/http"
	"strings"
)

// Endpoint names: the method plus LINE's path template. They name endpoints in Request,
// CountRequests and SetFault.
const (
	EndpointGroupSummary       = "GET /v2/bot/group/{groupId}/summary"
	EndpointGroupMemberCount   = "GET /v2/bot/group/{groupId}/members/count"
	EndpointGroupMemberIDs     = "GET /v2/bot/group/{groupId}/members/ids"
	EndpointGroupMemberProfile = "GET /v2/bot/group/{groupId}/member/{userId}"
	EndpointGroupLeave         = "POST /v2/bot/group/{groupId}/leave"
	EndpointRoomMemberCount    = "GET /v2/bot/room/{roomId}/members/count"
	EndpointRoomMemberIDs      = "GET /v2/bot/room/{roomId}/members/ids"
	EndpointRoomMemberProfile  = "GET /v2/bot/room/{roomId}/member/{userId}"
	EndpointRoomLeave          = "POST /v2/bot/room/{roomId}/leave"
	EndpointBotInfo            = "GET /v2/bot/info"
	EndpointStatelessToken     = "POST /oauth2/v3/token"

	EndpointPushMessage             = "POST /v2/bot/message/push"
	EndpointMessageQuota            = "GET /v2/bot/message/quota"
	EndpointMessageQuotaConsumption = "GET /v2/bot/message/quota/consumption"
	EndpointValidatePush            = "POST /v2/bot/message/validate/push"

	// AllEndpoints, given to SetFault, applies a fault to every endpoint above.
	AllEndpoints = "*"
)

// endpoint is one LINE endpoint the mock serves.
type endpoint struct {
	name   string // method + " " + path
	method string
	path   string
	// messaging marks Messaging API endpoints: bearer auth and the X-Line-Retry-Key check
	// apply to them, not to the token endpoint.
	messaging bool
	// retryKey marks the endpoints that accept X-Line-Retry-Key (push); every other
	// Messaging API endpoint answers 400 to it.
	retryKey bool
	handle   func(s *Server, w http.ResponseWriter, r *http.Request)
}

var groupKind = chatKind{param: "groupId", valid: isGroupID, group: true}
var roomKind = chatKind{param: "roomId", valid: isRoomID}

// endpoints lists every endpoint in a fixed order (the order of REFERENCE.md §6–§9, then §14 and §15).
var endpoints = []endpoint{
	{name: EndpointGroupSummary, handle: (*Server).groupSummary},
	{name: EndpointGroupMemberCount, handle: groupKind.memberCount},
	{name: EndpointGroupMemberIDs, handle: groupKind.memberIDs},
	{name: EndpointGroupMemberProfile, handle: groupKind.memberProfile},
	{name: EndpointGroupLeave, handle: groupKind.leave},
	{name: EndpointRoomMemberCount, handle: roomKind.memberCount},
	{name: EndpointRoomMemberIDs, handle: roomKind.memberIDs},
	{name: EndpointRoomMemberProfile, handle: roomKind.memberProfile},
	{name: EndpointRoomLeave, handle: roomKind.leave},
	{name: EndpointBotInfo, handle: (*Server).botInfo},
	{name: EndpointStatelessToken, handle: (*Server).issueStatelessToken},
	{name: EndpointPushMessage, handle: (*Server).pushMessage},
	{name: EndpointMessageQuota, handle: (*Server).messageQuota},
	{name: EndpointMessageQuotaConsumption, handle: (*Server).messageQuotaConsumption},
	{name: EndpointValidatePush, handle: (*Server).validatePush},
}

func init() {
	for i := range endpoints {
		ep := &endpoints[i]
		ep.method, ep.path, _ = strings.Cut(ep.name, " ")
		ep.messaging = ep.name != EndpointStatelessToken
		ep.retryKey = ep.name == EndpointPushMessage
	}
}

// knownEndpoint reports whether name is an endpoint name or AllEndpoints.
func knownEndpoint(name string) bool {
	if name == AllEndpoints {
		return true
	}
	for i := range endpoints {
		if endpoints[i].name == name {
			return true
		}
	}
	return false
}
