# shellcheck shell=bash
# The agent's constants: every number with the reason for it. docs/agent-protocol.md names the windows,
# the protocol and the label; test/agent-protocol/shared-constants.test.ts reads them from here and from
# functions/core/defaults.ts.
readonly AGENT_VERSION="0.1.0"
readonly SCHEMA_VERSION=1
readonly OWN_PROTO=224              # route/rule protocol eni-pbr writes (unused in rt_protos)
readonly TABLE_WINDOW_MIN=20000     # tables the agent accepts: clear of cloud-init (100+n),
readonly TABLE_WINDOW_MAX=29999     #   ec2-net-utils (10000+) and nm-cloud-setup (30200+)
readonly PREF_WINDOW_MIN=20000      # rule priorities the agent accepts: ahead of 32765/32766
readonly PREF_WINDOW_MAX=29999
readonly ENVELOPE_THRESHOLD=20000   # chars; GetCommandInvocation keeps only 24,000 of stdout
readonly OUTPUT_MAX=24000           #   that limit: a longer output is replaced by a small "too large" one
readonly ERROR_MAX=1000             # chars of ip/nft error text kept in result.error
readonly DOCUMENT_FAST_MAX=250000  # chars; longer: gzip -7 (320 KB → 17.9 K at -6's cost; -8 16.2 K, 2x CPU)
readonly FIREWALL_LINES_MAX=200     # mark/NAT lines reported, so a huge ruleset cannot blow the budget
readonly LOCK_WAIT_SECONDS=30       # two applies on one host wait for each other this long at most
readonly PLAN_MAX_BYTES=1048576     # decoded plan cap: 15 ENIs x 50 IPs is ~100 KB; refuse gzip bombs
readonly PLAN_MAX_LINES=20000       # far above any real plan (15 ENIs x 64 IPs x a few lines each)
readonly PLAN_LINE_MAX=8192          # longest plan line: a connmark line names every marked ENI (~30 characters each)
readonly IFNAME_MAX=15              # IFNAMSIZ - 1
readonly LABEL_SUFFIX=":ep"         # IPv4 label that says "eni-pbr added this address"
readonly HEADER_WIDTH=70            # the plan program's first line: seven numbers printed "%9d "
readonly IPT_PRE=ENI_PBR_PRE        # iptables fallback: own mangle chains, jumped to from PREROUTING
readonly IPT_OUT=ENI_PBR_OUT        #   and OUTPUT
readonly LINK_GROUP=224             # interface group of every ENI link (rule suppress_ifgroup 224)

readonly EXIT_USAGE=2 EXIT_REFUSED=3 EXIT_LOCK=4 EXIT_ROLLED_BACK=5 EXIT_ROLLBACK_FAILED=6 EXIT_TOOL=7
