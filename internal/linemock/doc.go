// Package linemock is a mock of the LINE Messaging API endpoints the provider uses: the
// group, room and bot-info endpoints (REFERENCE.md §6–§8), the stateless token endpoint
// (§9), push with the message quota (§14), and the message objects push and validate check,
// text message v2 and Flex included (§15). Tests start it in-process with httptest;
// internal/cmd/linemock serves it for the demo and scripts.
//
// It follows REFERENCE.md, LINE's behaviour as LINE's reference documents it (each fact
// with its source URL at LINE), and
// LINE's OpenAPI files for paths and response schemas (the contract tests check every
// success body against them). It deliberately shares no code with internal/lineclient: two
// independent readings of LINE catch each other's mistakes.
//
// # Endpoints
//
//	GET  /v2/bot/group/{groupId}/summary
//	GET  /v2/bot/group/{groupId}/members/count
//	GET  /v2/bot/group/{groupId}/members/ids[?start=]
//	GET  /v2/bot/group/{groupId}/member/{userId}
//	POST /v2/bot/group/{groupId}/leave
//	GET  /v2/bot/room/{roomId}/members/count
//	GET  /v2/bot/room/{roomId}/members/ids[?start=]
//	GET  /v2/bot/room/{roomId}/member/{userId}
//	POST /v2/bot/room/{roomId}/leave
//	GET  /v2/bot/info
//	POST /oauth2/v3/token
//	POST /v2/bot/message/push
//	GET  /v2/bot/message/quota
//	GET  /v2/bot/message/quota/consumption
//	POST /v2/bot/message/validate/push
//
// # Check order
//
// Every request to an endpoint goes through these steps; the first that fails answers
// (REFERENCE.md §12, with the mock's own fault injection in front):
//
//  1. Latency from WithLatency, then the endpoint's Fault (latency, hang, redirect,
//     injected 429/500) if it applies to the request's attempt.
//  2. 401: no Authorization header, a scheme other than Bearer, or an empty token →
//     "Authorization header required. Must follow the scheme, 'Authorization: Bearer
//     <ACCESS TOKEN>'"; an unknown or expired token → "Authentication failed. Confirm that
//     the access token in the authorization header is valid." (not for the token endpoint).
//  3. 429 from the per-endpoint token bucket: "The API rate limit has been exceeded. Try
//     again later."
//  4. 400 when an X-Line-Retry-Key header is present (not for the token endpoint, nor for
//     push, which takes one: see "Push and quota").
//  5. 400 for a malformed chat ID, then for a malformed user ID: "The value for the
//     'groupId' parameter is invalid" (or 'roomId', 'userId').
//  6. 403 on members/ids when the account is not verified: "Access to this API is not
//     available for your account".
//  7. 404 "Not found" when the chat is unknown or the bot is not in it, except leaving a room
//     that exists, which answers 200 {}.
//  8. 404 "Not found" for the profile of a user who is not a current member, or who did
//     not consent to profile access.
//  9. 400 "Invalid start param" for a continuation token that is unknown, tampered with,
//     older than 24 hours of the mock's clock, or issued for another chat.
//
// Every answer, errors included, has Content-Type: application/json and a fresh UUID in
// X-Line-Request-Id. Errors are {"message": ...} (the token endpoint's own errors are
// {"error": ..., "error_description": ...}). pictureUrl, premiumId and next are left out
// when empty, never sent as "".
//
// # Choices where LINE's behaviour is unknown (REFERENCE.md §13)
//
//   - Check order: as listed above. 403 comes before 404, and 404 before a bad start.
//     Faults come before everything, so an injected 429 looks to a client exactly like
//     LINE's own.
//   - Bad userId text: "The value for the 'userId' parameter is invalid", by analogy.
//     When both IDs are malformed, the chat ID is reported.
//   - X-Line-Retry-Key: 400 "The X-Line-Retry-Key header is not supported by this
//     API", whatever the header's value, even empty.
//   - members/count counts members without consent (they are only left out of
//     memberIds and their profile is 404). It never counts the bot: the bot's presence is
//     botJoined, and a fixture cannot list the bot as a member. Pending invitations are not
//     modelled.
//   - The bot's ID never appears in memberIds, and its member profile is 404.
//   - X-Line-Request-Id is on every answer: the token endpoint's, unknown paths' and
//     the /_mock/ controls' too.
//   - Content-Type is exactly "application/json", without a charset.
//   - Unknown path: 404 {"message":"Not found"}. A known path with the wrong method:
//     405 {"message":"Method not allowed"} with an Allow header (HEAD on a GET path is 405
//     too). Paths with "..", "." or "//" segments are unknown paths (no redirect), and so
//     are trailing slashes.
//   - The verify endpoints are not served: they are unknown paths.
//   - Continuation tokens are opaque, URL-safe base64 strings of about 80 characters.
//     Each carries its chat, the offset of the next page and its issue time, signed with a
//     key private to the Server, so nothing is stored: a token from another Server (or
//     after a restart) is invalid. A token may be used again while it lives. A page is cut
//     from the member list as it is when that page is asked for, so members added or
//     removed between pages shift later pages. "start=" with an empty value means the
//     first page. Pages hold exactly 100 IDs while more remain.
//   - Stateless access tokens are built the same way: opaque, signed, carrying their issue
//     time and a serial number; valid while the mock's clock is less than 15 minutes past
//     it. expires_in is 900. LINE offers no way to revoke them; two controls stand for a
//     token LINE stops accepting before a client expects it to: ExpireIssuedTokens (every
//     token issued so far, as clock skew between a client and LINE would) and
//     RevokeIssuedToken (one token). Both answer 401 "Authentication failed" afterwards.
//     Issued tokens are not part of Snapshot.
//   - Token endpoint: only the form body counts (the query string does not), and only
//     snake_case names. Missing grant_type → 400 invalid_request; another grant_type → 400
//     {"error":"unsupported_grant_type","error_description":"Unsupported 'grant_type'."};
//     the JWT variant is verified against the channels' registered keys (fixture
//     "channels[].keys": [{"kid":…,"jwk":{public RSA JWK}}], or RegisterChannelKey), in
//     REFERENCE.md §9's order: not a compact JWS with alg RS256 and typ JWT → 400
//     "Invalid 'client_assertion'."; an unknown (or no) kid → 404 {"message":"Cannot find
//     channel key that satisfies the conditions"}; a signature that does not verify, iss or
//     sub other than the key's channel, aud other than "https://api.line.me/", no exp, exp
//     passed or more than 30 minutes ahead (the mock's clock) → 400 invalid_request with
//     "Invalid 'client_assertion': …" naming the check; a half-JWT request or one mixing both
//     variants → 400 invalid_request; wrong or missing credentials → 400
//     {"error":"invalid_request","error_description":"Invalid 'client_credentials'."}.
//     No bearer header is needed (one is ignored). It has its own rate-limit bucket and takes
//     faults like the other endpoints.
//   - 500 (injected): {"message":"Internal server error"}.
//   - The Bearer scheme name is matched case-insensitively (RFC 9110); the token is not.
//   - Rate limit: the mock is one channel, so each endpoint has one bucket for all tokens.
//     It holds one second's worth (the limit) and refills continuously, by the wall clock,
//     not the mock's Clock: with a stopped ManualClock the limit would otherwise be a
//     lifetime quota. No Retry-After or X-RateLimit headers. Rejected requests (401) do not
//     take from the bucket.
//   - Leave requests arrive with no body and no Content-Type; the body is never read.
//
// # Push and quota
//
// POST /v2/bot/message/push checks, after auth and the rate limit, in this order (REFERENCE.md
// §14; the order is the mock's choice):
//
//  1. X-Line-Retry-Key: an empty value is no key (the SDK always sends the header); a value
//     that is not a hex UUID (8-4-4-4-12) → 400 "The value for the 'X-Line-Retry-Key'
//     header is invalid" (choice).
//  2. A key accepted (2xx, or carried out under LostResponse) less than 24 hours ago by the
//     mock's clock → 409 {"message":"The retry key is already accepted","sentMessages":[…the
//     original…]} with X-Line-Accepted-Request-Id: the first request's X-Line-Request-Id,
//     whatever the new body. Keys are compared case-insensitively; a request that failed
//     does not use its key up.
//  3. A body that is not one JSON object → 400 "The request body could not be parsed as
//     JSON" (choice). A property of the wrong JSON type, or a 'to' that is not U/C/R + 32
//     lowercase hex digits → 400 "The property, '<name>', in the request body is invalid
//     (line: -, column: -)".
//  4. Schema errors, all together → 400 "The request body has N error(s)" with details
//     {message, property}: 'to' empty or missing ("May not be empty"/"to"); not 1–5
//     messages ("Size must be between 1 and 5"/"messages"); a message without type, or
//     without a required property of its type, or with one empty ("May not be
//     empty"/"messages[i].type", ".text", ".altText" …); a type LINE does not have ("Must be
//     one of the following values: [text, textV2, …]"); a text over 5,000 UTF-16 code units
//     ("Length must be between 0 and 5000"/"messages[i].text"), an altText over 1,500. Unknown
//     fields are ignored; notificationDisabled and customAggregationUnits may be null (the
//     SDK sends null), and units are ignored.
//  5. A content problem inside one message (the first such message) → 400 "A message
//     (messages[i]) in the request body is invalid" with its details: textV2 placeholders and
//     substitution (property relative to the message: "text", "substitution.KEY.type" …),
//     Flex structure (a JSON pointer into the container: "/footer/contents/2"). See
//     "Message objects" below.
//  6. A recipient that cannot be reached → 400 "Failed to send messages": an unknown user,
//     the bot itself, or a group or room that is unknown or that the bot is not in.
//  7. A mention the chat cannot take → 400 "Failed to send messages" (choice): a textV2 that
//     mentions anyone pushed to a user, or that mentions a user who is not a member of the
//     group or room (the bot's own ID included).
//  8. Usage + the push's charge over the month's limit → 429 "You have reached your monthly
//     limit." The charge is per person, not per message object: a chat's members/count
//     (the bot excluded), or 1 for a user. The mock does not model blocked users or friends.
//  9. Sent: 200 {"sentMessages":[{"id":"<18 digits>","quoteToken":"…"}, …]}, one per
//     message, in order; a quote token only for text, textV2, sticker, image, video,
//     template and flex messages. The push is recorded (PushedMessages: the objects as
//     received, what the chat shows of each, who is mentioned) and charged.
//
// GET /v2/bot/message/quota answers {"type":"none"} (the default: no limit) or
// {"type":"limited","value":n}; GET /v2/bot/message/quota/consumption answers
// {"totalUsage":n}. The usage starts from 0 when the mock's clock enters a new calendar month
// in Japan time (UTC+9; choice). Neither the quota nor the usage nor the pushed messages are
// part of Snapshot.
//
// # Message objects (REFERENCE.md §15)
//
// Every message type of LINE's OpenAPI file is accepted with its required properties. The
// content checks, all the mock's choices where LINE is silent:
//
//   - textV2: "{{" and "}}" are literal braces wherever they start; any other "{" opens a
//     placeholder that the next "}" closes. Details, in order: more than 100 substitution
//     entries ("Size must be between 0 and 100"/"substitution"); each entry by key (type
//     mention or emoji; a mentionee of type user with a userId of U + 32 lowercase hex
//     digits, or all; an emoji with productId and emojiId); each key not matching
//     ^[a-zA-Z0-9_]{1,20}$ (LINE's observed detail, property "text"); an unpaired "{" or "}";
//     then each undefined key, and more than 20 mention or 20 emoji placeholders (a key used
//     twice counts twice). An unused entry is accepted and mentions no one. Mentions'
//     membership is checked on push only (step 7 above), never on validate.
//   - flex: the container is a bubble, or a carousel of 1 to 12 bubbles; a bubble has at
//     least one block ("At least one block must be specified"); header, body and footer are
//     boxes, the hero a box, image or video; a box has a layout and a contents array; every
//     component has a type of LINE's OpenAPI file (a spacer does not). Anything else is
//     "invalid property" at a JSON pointer relative to the container, for the first problem
//     in document order.
//
// POST /v2/bot/message/validate/push checks "messages" as push does (steps 3–5), ignores the
// other properties, and answers 200 {}: nothing is sent, charged or recorded as pushed, and
// nothing that depends on a recipient is checked. A null body or no messages is "Size must
// be between 1 and 5". X-Line-Retry-Key gets the 400 of the endpoints that do not take it.
// It has its own rate-limit bucket and takes faults by its own name.
//
// # Time
//
// A Clock (WithClock; ManualClock in tests) decides when issued access tokens (15 minutes),
// continuation tokens (24 hours) and retry keys (24 hours) expire and when a month's usage
// starts again, and stamps recorded requests and pushed messages. Latency, hangs
// and the rate limit use real time.
//
// # Faults
//
// SetFault(endpoint, Fault) injects trouble into one endpoint, named as in Request.Endpoint,
// or into all of them with "*". An endpoint's own Fault replaces the "*" one. In order:
//
//   - First and Every choose the attempts the fault applies to (below); the others pass
//     as if no fault were set.
//   - Latency is waited.
//   - Hang blocks until the client gives up (the request is then recorded with Status 0)
//     or Close is called (it then answers 500). The token endpoint hangs the same way.
//   - RedirectTo answers 307 Temporary Redirect with Location: RedirectTo + the request's
//     path and query, and does nothing else (LINE never redirects; a client must not follow).
//   - One random draw gives 429 (LINE's rate-limit answer) below Rate429, else 500 below
//     Rate429+Rate500; nothing is carried out. The 429 carries RetryAfter as its Retry-After
//     header when set (LINE sends none), and Body429 with the Content-Type ContentType429
//     (none when "") instead of LINE's JSON when set: a proxy's answer, such as an HTML page.
//   - A second draw, below LostResponse, lets the request be carried out in full (auth,
//     rate limit, the handler: a leave leaves, a push is sent), then answers 500
//     {"message":"Internal server error"} instead; the recorded Request has Status 500 and
//     Lost true.
//
// Faults never apply to unknown paths or to the controls.
//
// Attempts are counted at each path: the method and URL path (the query left out), and for
// a push the chat in the body's "to", from 1, since the SetFault that set the fault in
// force. Request.Attempt records each request's number. First > 0 keeps the fault to a
// path's first First attempts, Every > 0 to its attempts Every, 2×Every, …; with rates of 1
// they make faults certain whatever the seed and the order of arrival:
//
//	Fault{Rate429: 1, First: 2}      the first two attempts at every path answer 429
//	Fault{Rate500: 1, Every: 2}      every other attempt answers 500
//	Fault{LostResponse: 1, First: 1} each path's first attempt is carried out, its answer lost
//	Fault{Hang: true, First: 1}      each path's first attempt hangs, the retry is answered
//
// The draws are not taken in turn from one random source: each is a hash of the seed, the
// request's path, its attempt number there and the decision, so a seed replays the same
// faults for the same requests in any order of arrival (as under Terraform's parallelism;
// a push counts per chat and a validation per message; only requests for one path, chat or
// message that race each other can swap numbers, such as two pushes of different messages to
// one chat, or token requests for two channels). Every Server takes a
// fresh random seed, unless WithSeed gives one: tests under random faults must hold for any
// seed. Seed() returns it, GET /_mock/faults shows it, the command prints it on stderr, and
// the test helpers log it; WithSeed(seed), -seed, or LINEMOCK_SEED=seed for the test
// helpers (SeedFromEnv) replays a run's faults.
//
// # Rate limit
//
// Each endpoint has a token bucket, as LINE's (per channel and endpoint; the mock is one
// channel), holding one second's worth and refilled continuously by the wall clock.
// WithRateLimit(n) sets it at New (default 2,000/s, LINE's), SetRateLimit(n) at any time
// (every bucket starts full again); 0 turns it off. SetEndpointRateLimit(endpoint, n) sets
// one endpoint's limit (0 lifts it) and leaves the others as they are. A refused request
// answers 429 "The API rate limit has been exceeded. Try again later.", after auth and
// before the other checks.
//
// # Recorded requests
//
// Every request except the /_mock/ controls is recorded with its method, path, endpoint
// template ("" for unknown paths and wrong methods), query, headers, status and arrival
// time. A request is recorded before its answer is sent, so a client that has its answer
// finds it recorded. The log keeps the last 10,000 requests; counts stay exact.
//
// # Controls over HTTP
//
// Under /_mock/, not authenticated, not recorded, not rate limited, not faulted, not
// delayed. Bodies are JSON (unknown fields refused); answers are JSON; errors are
// {"message": ...} with 400 (bad input), 404 (unknown ID or route) or 409 (already so).
//
//	GET    /_mock/chats/{chatId}                  → {"chatId":…,"botJoined":…}
//	POST   /_mock/chats/{chatId}/kick             KickBot → {"chatId":…,"botJoined":false}
//	POST   /_mock/chats/{chatId}/invite           InviteBot → {"chatId":…,"botJoined":true}
//	POST   /_mock/chats/{chatId}/members          AddMember, body {"userId":"U…"} → {}
//	DELETE /_mock/chats/{chatId}/members/{userId} RemoveMember → {}
//	POST   /_mock/groups                          AddGroup, body a fixture group → {}
//	POST   /_mock/groups/{groupId}/rename         RenameGroup, body {"groupName":"…"} → {}
//	PUT    /_mock/groups/{groupId}/picture        SetGroupPicture, body {"pictureUrl":"https://…" or ""} → {}
//	POST   /_mock/channels/{channelId}/keys       RegisterChannelKey, body {"kid":"…","jwk":{public JWK}} → {}
//	DELETE /_mock/channels/{channelId}/keys/{kid} RemoveChannelKey → {}
//	POST   /_mock/rooms                           AddRoom, body a fixture room → {}
//	POST   /_mock/users                           AddUser, body a fixture user → {}
//	GET    /_mock/verified                        → {"verified":…}
//	PUT    /_mock/verified                        SetVerified, body {"verified":false} → same
//	GET    /_mock/state                           Snapshot, as fixture JSON
//	GET    /_mock/requests                        {"requests":[…],"counts":{endpoint: n},"total":n}
//	DELETE /_mock/requests                        ResetRequests → {}
//	GET    /_mock/faults                          {"seed":n,"faults":{endpoint: fault, …}}
//	PUT    /_mock/faults/{endpoint}               SetFault, body {"latency":"20ms","rate429":0.3,"rate500":0.1,
//	                                              "lost_response":0.5,"redirect_to":"http://host:port","hang":false,
//	                                              "retry_after":"35","body429":"<html>…","content_type429":"text/html",
//	                                              "first":2,"every":3} (every field optional) → the fault as stored
//	DELETE /_mock/faults/{endpoint}               clears one endpoint's fault → {}
//	DELETE /_mock/faults                          ClearFaults → {}
//	POST   /_mock/tokens/expire                   ExpireIssuedTokens → {"issued":n}
//	POST   /_mock/tokens/revoke                   RevokeIssuedToken, body {"access_token":"…"} → {}
//	GET    /_mock/rate-limit                      {"per_second":n} (0 = off)
//	PUT    /_mock/rate-limit                      SetRateLimit, body {"per_second":n} → same
//	GET    /_mock/quota                           {"limit":n,"used":n} (limit -1 = no limit)
//	PUT    /_mock/quota                           SetMessageQuota and/or SetMessageUsage, body
//	                                              {"limit":n,"used":n} (either optional) → same as GET
//	GET    /_mock/messages                        PushedMessages: {"messages":[{"to","texts","messages",
//	                                              "mentions","notificationDisabled","retryKey",
//	                                              "requestId","sentMessageIds","charged","time"}, …]}
//	DELETE /_mock/messages                        ResetPushed → {} (usage and retry keys stay)
//
// {endpoint} is "*" or an endpoint name, path-escaped: GET%20/v2/bot/info, or
// POST%20/v2/bot/group/%7BgroupId%7D/leave.
package linemock
