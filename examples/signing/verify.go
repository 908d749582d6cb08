// Package hooklinesig verifies what Hookline sends and signs requests to its trigger URLs,
// with Go's standard library only. Copy the functions for your scheme.
//
// Every Verify function takes the secret, the request headers (net/http's r.Header) and the
// raw body exactly as received (io.ReadAll(r.Body) before any JSON decoding), and returns
// true when the request is authentic.
package hooklinesig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const toleranceSeconds = 5 * 60

// fresh accepts a Unix-seconds timestamp within 5 minutes of now, so a captured request
// cannot be replayed later.
func fresh(ts string) bool {
	if ts == "" || len(ts) > 15 || strings.Trim(ts, "0123456789") != "" {
		return false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	return err == nil && math.Abs(float64(time.Now().Unix()-n)) <= toleranceSeconds
}

// hexHMAC is the hex HMAC-SHA256 of the parts; the key is the whole secret string.
func hexHMAC(secret string, parts ...[]byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		m.Write(p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// either: during a rotation the new secret's signature is in X-Hookline-Next-Signature.
func either(h http.Header, main, expected string) bool {
	for _, given := range []string{h.Get(main), h.Get("X-Hookline-Next-Signature")} {
		if given != "" && hmac.Equal([]byte(strings.ToLower(given)), []byte(expected)) {
			return true
		}
	}
	return false
}

// VerifyStandard checks `standard` (endpoints' default; Standard Webhooks).
func VerifyStandard(secret string, h http.Header, body []byte) bool {
	id, ts, sigs := h.Get("Webhook-Id"), h.Get("Webhook-Timestamp"), h.Get("Webhook-Signature")
	if id == "" || sigs == "" || !fresh(ts) {
		return false
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	expected := base64.StdEncoding.EncodeToString(m.Sum(nil))
	// Space-separated "v1,<sig>" entries (two during a rotation); one match is enough.
	for _, entry := range strings.Split(sigs, " ") {
		if strings.HasPrefix(entry, "v1,") && hmac.Equal([]byte(entry[3:]), []byte(expected)) {
			return true
		}
	}
	return false
}

// VerifyXSignature checks `x-signature`: X-Signature = hex HMAC of the body.
func VerifyXSignature(secret string, h http.Header, body []byte) bool {
	return either(h, "X-Signature", hexHMAC(secret, body))
}

// VerifyGithub checks `github`: X-Hub-Signature-256 = "sha256=" + hex HMAC of the body.
func VerifyGithub(secret string, h http.Header, body []byte) bool {
	return either(h, "X-Hub-Signature-256", "sha256="+hexHMAC(secret, body))
}

// VerifyAgentGateway checks `agentgateway` endpoints and named notification webhooks:
// hex HMAC of "{X-AgentGateway-Timestamp}.{body}".
func VerifyAgentGateway(secret string, h http.Header, body []byte) bool {
	ts := h.Get("X-AgentGateway-Timestamp")
	return fresh(ts) && either(h, "X-AgentGateway-Signature", hexHMAC(secret, []byte(ts+"."), body))
}

// VerifyCallback checks agent callbacks (hlcb_… secret):
// X-Signature = "sha256=" + hex HMAC of "{X-Timestamp}.{body}".
func VerifyCallback(secret string, h http.Header, body []byte) bool {
	ts, given := h.Get("X-Timestamp"), h.Get("X-Signature")
	if !fresh(ts) || given == "" {
		return false
	}
	return hmac.Equal([]byte(strings.ToLower(given)), []byte("sha256="+hexHMAC(secret, []byte(ts+"."), body)))
}
