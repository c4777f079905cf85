package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/tf-line/terraform-provider-line/internal/lineclient"
)

// addCredentialsError reports, at configure, an assertion signing key that cannot be used:
// on the attribute at fault, naming where its value came from and what to do. No value is shown.
func addCredentialsError(diags *diag.Diagnostics, c credentials, err *lineclient.CredentialsError) {
	keyFrom := sourceOr(c.privateKey, "channel_private_key")
	switch err.Field {
	case lineclient.FieldChannelPrivateKey:
		diags.AddAttributeError(path.Root("channel_private_key"), "Invalid LINE channel private key",
			"The value of "+keyFrom+" is not usable as an assertion signing key: it is "+err.Reason+". Give the "+
				"private key of the pair whose public key is registered for the channel, as a JSON Web Key (the form "+
				"LINE's guide generates) or PEM, RSA of 2048 bits or more.")
	case lineclient.FieldChannelKeyID:
		diags.AddAttributeError(path.Root("channel_key_id"), "Invalid LINE channel key ID",
			"channel_key_id: "+err.Reason+". The private key comes from "+keyFrom+"; set channel_key_id in the "+
				"provider block or the "+envChannelKeyID+" environment variable to the kid shown in the channel's Basic "+
				"settings → Assertion Signing Key in the LINE Developers Console.")
	case lineclient.FieldChannelID:
		diags.AddAttributeError(path.Root("channel_id"), "Missing LINE channel ID",
			"channel_id is "+err.Reason+". The private key comes from "+keyFrom+"; set channel_id in the "+
				"provider block or the "+envChannelID+" environment variable.")
	default:
		diags.AddError("Invalid LINE credentials", err.Error()+".")
	}
}

func sourceOr(s setting, attr string) string {
	if s.source != "" {
		return s.source
	}
	return attr
}

// assertionAdvice explains LINE's refusal of a token request signed with the private key.
func assertionAdvice(c credentials, err *lineclient.TokenError) string {
	kid := sourceOr(c.keyID, "channel_key_id")
	channel := sourceOr(c.channelID, "channel_id")
	switch {
	case err.UnknownKey:
		return "No assertion signing key with the key ID from " + kid + " is registered for the channel in " +
			channel + ". Check channel_key_id against the channel's Basic settings → Assertion Signing Key in the " +
			"LINE Developers Console (register the public key there if it is missing), and that channel_id is the " +
			"channel the key was registered for."
	case err.Refused:
		return "LINE refused the JWT assertion signed with " + sourceOr(c.privateKey, "channel_private_key") +
			". Check that channel_private_key is the private half of the key registered as channel_key_id for the " +
			"channel in " + channel + ", and that this machine's clock is right: an assertion is valid for 25 minutes " +
			"from the time it is signed."
	}
	return ""
}

// noIssuerAdvice explains why line_channel_access_token cannot issue a token.
func noIssuerAdvice(c credentials) string {
	advice := "line_channel_access_token issues a new token, which needs the channel's credentials: set " +
		"channel_id with channel_private_key and channel_key_id (" + envChannelID + ", " + envChannelPrivateKey + ", " +
		envChannelKeyID + "), or channel_id with channel_secret (" + envChannelSecret + ")."
	if c.token.set() {
		advice += " The provider uses the channel access token from " + c.token.source + ", which takes " +
			"precedence and cannot issue other tokens: give the ephemeral resource a provider alias configured " +
			"with channel credentials only."
	}
	return advice
}
