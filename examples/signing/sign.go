package hooklinesig

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Each Sign function returns the headers to send with body, the exact bytes you send.

// SignHookline signs for `hookline` (an agent's own trigger URL, and named triggers with
// scheme hookline). With X-Timestamp the signature covers "{ts}.{body}" and Hookline
// refuses it after 5 minutes, so it cannot be replayed.
func SignHookline(secret string, body []byte) http.Header {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	h := http.Header{}
	h.Set("X-Timestamp", ts)
	h.Set("X-Signature", hexHMAC(secret, []byte(ts+"."), body))
	return h
}

// SignGithub signs like GitHub: event is X-GitHub-Event (pull_request, push, …); the
// delivery id deduplicates.
func SignGithub(secret string, body []byte, event, delivery string) http.Header {
	h := http.Header{}
	h.Set("X-GitHub-Event", event)
	h.Set("X-GitHub-Delivery", delivery)
	h.Set("X-Hub-Signature-256", "sha256="+hexHMAC(secret, body))
	return h
}

// SignStandard signs for `standard` (Standard Webhooks; secret whsec_…): the key is the
// base64-decoded part after whsec_.
func SignStandard(secret string, body []byte) (http.Header, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return nil, err
	}
	idBytes := make([]byte, 12)
	if _, err := rand.Read(idBytes); err != nil {
		return nil, err
	}
	id := "msg_" + hex.EncodeToString(idBytes)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	h := http.Header{}
	h.Set("Webhook-Id", id)
	h.Set("Webhook-Timestamp", ts)
	h.Set("Webhook-Signature", "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	return h, nil
}

// SignGrafana signs like Grafana's webhook contact point with an HMAC secret and a
// timestamp header: hex HMAC of "{ts}:{body}".
func SignGrafana(secret string, body []byte) http.Header {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	h := http.Header{}
	h.Set("X-Grafana-Alerting-Timestamp", ts)
	h.Set("X-Grafana-Alerting-Signature", hexHMAC(secret, []byte(ts+":"), body))
	return h
}
