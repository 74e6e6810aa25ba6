#!/usr/bin/env bash
# Plays a short negotiation in D16 against a running development service (ops/run.sh): Hessen proposes, the chair
# (Bayern) schedules a session, puts the resolution on the agenda, opens it and records attendance, Nordrhein-Westfalen
# asks for a deadline, Hessen adds one, the chair opens a ballot, 13 Länder vote yes, Saarland no, Brandenburg abstains,
# the chair closes the ballot (adopted) and the session. docs/history.md walks through it as an observer.
set -euo pipefail
B=${B:-http://localhost:5180}
tok() { curl -sf -X POST $B/api/dev/tokens -H 'content-type: application/json' -d "{\"name\": \"$1\", \"land\": $2, \"roles\": [\"$3\"]}" | jq -r .token; }
post() { curl -sf -X "${4:-POST}" "$B$1" -H "authorization: Bearer $2" -H 'content-type: application/json' -d "$3"; }
CHAIR=$(tok "Markus Huber" '"BY"' chair)
HE=$(tok "Jana Roth" '"HE"' representative)
NW=$(tok "Jonas Wolf" '"NW"' representative)
SL=$(tok "Petra Klein" '"SL"' representative)
BB=$(tok "Tobias Lange" '"BB"' representative)

ID=$(post /api/resolutions "$HE" '{"body": "D16", "title": "Beschluss zur Registermodernisierung", "paragraphs": ["Die Länder treiben die Registermodernisierung gemeinsam voran.", "Sie stimmen ihre Umsetzungspläne ab."]}' | jq -r .id)
# The session is tomorrow (09:00 UTC), whenever the demonstration runs.
STARTS=$(date -u -d tomorrow +%Y-%m-%dT09:00:00Z)
S=$(post /api/bodies/D16/sessions "$CHAIR" "{\"kind\": \"regular\", \"format\": \"virtual\", \"startsAt\": \"$STARTS\"}" | jq -r .id)
post /api/sessions/$S/agenda "$CHAIR" "{\"resolutionId\": \"$ID\"}" > /dev/null
post /api/sessions/$S/opening "$CHAIR" '{}' > /dev/null
post /api/sessions/$S/attendance "$CHAIR" '{"present": ["DE-BW","DE-BY","DE-BE","DE-BB","DE-HH","DE-HE","DE-MV","DE-NI","DE-NW","DE-RP","DE-SL","DE-SN","DE-ST","DE-SH","DE-TH","BUND"]}' > /dev/null
P2=$(curl -sf $B/api/resolutions/$ID -H "authorization: Bearer $NW" | jq -r '.paragraphs[1].id')
post /api/resolutions/$ID/comments "$NW" "{\"text\": \"Bis wann? Ohne Frist können wir nicht zustimmen.\", \"paragraphId\": \"$P2\"}" > /dev/null
P1=$(curl -sf $B/api/resolutions/$ID -H "authorization: Bearer $HE" | jq -r '.paragraphs[0].id')
V=$(curl -sf $B/api/resolutions/$ID -H "authorization: Bearer $HE" | jq -r '.version')
post /api/resolutions/$ID/text "$HE" "{\"expectedVersion\": $V, \"paragraphs\": [{\"id\": \"$P1\", \"text\": \"Die Länder treiben die Registermodernisierung gemeinsam voran.\"}, {\"id\": \"$P2\", \"text\": \"Sie stimmen ihre Umsetzungspläne bis zum 30. Juni 2027 ab.\"}]}" PUT > /dev/null
post /api/resolutions/$ID/ballots "$CHAIR" '{"matterType": "default"}' > /dev/null
for land in BW BY BE HH HE MV NI NW RP SN ST SH TH; do
  case $land in NW) T=$NW;; HE) T=$HE;; *) T=$(tok "Vertretung $land" "\"$land\"" representative);; esac
  post /api/resolutions/$ID/votes "$T" '{"choice": "yes", "textVersion": 2}' > /dev/null
done
post /api/resolutions/$ID/votes "$SL" '{"choice": "no", "textVersion": 2}' > /dev/null
post /api/resolutions/$ID/votes "$BB" '{"choice": "abstain", "textVersion": 2}' > /dev/null
post /api/resolutions/$ID/ballots/current/closing "$CHAIR" '{}' > /dev/null
post /api/sessions/$S/closing "$CHAIR" '{}' > /dev/null
echo "resolution $ID: $(curl -sf $B/api/resolutions/$ID -H "authorization: Bearer $HE" | jq -r .status); session $S closed"
