package linemock

import "fmt"

// The demo fixture's notable values, for the demo configuration and for tests.
//
// The story: "Ops Bot" (a picture, no premium ID) sits in an ops group with a picture, a
// release group without one and a 251-member all-hands group whose member IDs take three
// pages. It was once in an old incident group but is no longer. It is in one multi-person
// chat and has left another. Daichi never consented to profile access, so LINE counts him
// but does not list him or show his profile.
const (
	DemoToken         = "demo-token"
	DemoChannelID     = "1650000001"
	DemoChannelSecret = "8c9a2f1e4b7d6a3c5e0f1a2b3c4d5e6f"

	DemoBotUserID      = "Ub0700000000000000000000000000001"
	DemoBotBasicID     = "@123abcde"
	DemoBotDisplayName = "Ops Bot"
	DemoBotPictureURL  = "https://profile.line-scdn.net/demo/ops-bot.png"

	DemoUserAiko   = "Ua1c00000000000000000000000000001" // has a picture
	DemoUserBen    = "Ube000000000000000000000000000002" // no picture
	DemoUserChika  = "Uc41ca000000000000000000000000003" // no picture
	DemoUserDaichi = "Uda1c4100000000000000000000000004" // no consent: counted, never listed, profile 404
	DemoUserEmi    = "Ue3100000000000000000000000000005" // has a picture

	// DemoGroupOps: "Ops alerts", with a picture; Aiko, Ben, Chika and Daichi (count 4, 3 listed).
	DemoGroupOps = "C0c500000000000000000000000000001"
	// DemoGroupRelease: "Release train", no picture; Aiko and Emi.
	DemoGroupRelease = "C4e1ea5e0000000000000000000000002"
	// DemoGroupNotJoined: "Incident 2023-11", which the bot has left; Ben and Chika.
	DemoGroupNotJoined = "C01d00000000000000000000000000003"
	// DemoGroupAllHands: "All hands", with a picture; the five named users plus 246 more.
	DemoGroupAllHands = "Ca11a4d50000000000000000000000004"
	// DemoRoom: the bot is in it; Aiko, Ben and Emi.
	DemoRoom = "R400b0000000000000000000000000001"
	// DemoRoomNotJoined: the bot left it; Chika and Emi.
	DemoRoomNotJoined = "R400b0000000000000000000000000002"

	DemoGroupOpsName      = "Ops alerts"
	DemoGroupReleaseName  = "Release train"
	DemoGroupAllHandsName = "All hands"

	// DemoGroupAllHandsMemberCount is what members/count answers for the all-hands group.
	DemoGroupAllHandsMemberCount = 251
	// DemoGroupAllHandsListedCount is how many IDs members/ids lists there (all but Daichi),
	// in pages of 100, 100 and 50.
	DemoGroupAllHandsListedCount = 250
)

// demoCrowdSize is the number of generated users that fill the all-hands group.
const demoCrowdSize = DemoGroupAllHandsMemberCount - 5

// demoCrowdUserID returns the ID of the i-th (1-based) generated all-hands member.
func demoCrowdUserID(i int) string {
	return fmt.Sprintf("Uc0ffee00%024x", i)
}

// DemoFixture returns a fresh copy of the built-in demo fixture.
func DemoFixture() *Fixture {
	yes, no := true, false
	f := &Fixture{
		AccessTokens: []string{DemoToken},
		Channels:     []Channel{{ID: DemoChannelID, Secret: DemoChannelSecret}},
		Verified:     &yes,
		Bot: Bot{
			UserID:         DemoBotUserID,
			BasicID:        DemoBotBasicID,
			DisplayName:    DemoBotDisplayName,
			PictureURL:     DemoBotPictureURL,
			ChatMode:       "bot",
			MarkAsReadMode: "auto",
		},
		Users: []User{
			{UserID: DemoUserAiko, DisplayName: "Aiko", PictureURL: "https://profile.line-scdn.net/demo/aiko.png"},
			{UserID: DemoUserBen, DisplayName: "Ben"},
			{UserID: DemoUserChika, DisplayName: "Chika"},
			{UserID: DemoUserDaichi, DisplayName: "Daichi", NoConsent: true},
			{UserID: DemoUserEmi, DisplayName: "Emi", PictureURL: "https://profile.line-scdn.net/demo/emi.png"},
		},
		Groups: []Group{
			{
				GroupID:    DemoGroupOps,
				GroupName:  DemoGroupOpsName,
				PictureURL: "https://profile.line-scdn.net/demo/ops-alerts.png",
				MemberIDs:  []string{DemoUserAiko, DemoUserBen, DemoUserChika, DemoUserDaichi},
				BotJoined:  &yes,
			},
			{
				GroupID:   DemoGroupRelease,
				GroupName: DemoGroupReleaseName,
				MemberIDs: []string{DemoUserAiko, DemoUserEmi},
				BotJoined: &yes,
			},
			{
				GroupID:   DemoGroupNotJoined,
				GroupName: "Incident 2023-11",
				MemberIDs: []string{DemoUserBen, DemoUserChika},
				BotJoined: &no,
			},
		},
		Rooms: []Room{
			{RoomID: DemoRoom, MemberIDs: []string{DemoUserAiko, DemoUserBen, DemoUserEmi}, BotJoined: &yes},
			{RoomID: DemoRoomNotJoined, MemberIDs: []string{DemoUserChika, DemoUserEmi}, BotJoined: &no},
		},
	}
	allHands := Group{
		GroupID:    DemoGroupAllHands,
		GroupName:  DemoGroupAllHandsName,
		PictureURL: "https://profile.line-scdn.net/demo/all-hands.png",
		MemberIDs:  []string{DemoUserAiko, DemoUserBen, DemoUserChika, DemoUserDaichi, DemoUserEmi},
		BotJoined:  &yes,
	}
	for i := 1; i <= demoCrowdSize; i++ {
		id := demoCrowdUserID(i)
		f.Users = append(f.Users, User{UserID: id, DisplayName: fmt.Sprintf("Member %03d", i)})
		allHands.MemberIDs = append(allHands.MemberIDs, id)
	}
	f.Groups = append(f.Groups, allHands)
	return f
}

// AddTeamGroups appends n groups that the bot is in, without members, named "Team 000",
// "Team 001", …, and returns their IDs: the many chats of tests and benchmarks at scale.
// Their IDs (C followed by 0x7ea0000 upwards, in hexadecimal) stay clear of the demo's.
func (f *Fixture) AddTeamGroups(n int) []string {
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("C%032x", 0x7ea0000+i)
		f.Groups = append(f.Groups, Group{GroupID: ids[i], GroupName: fmt.Sprintf("Team %03d", i)})
	}
	return ids
}
