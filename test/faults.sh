#!/usr/bin/env bash
# test/faults.sh: the short version of scripts/faults.sh for the test command:
# each case (submit, the inbox COPY, resolve_entities, run_rules, grade_risks)
# interrupted once by kill -9 of its backend and once by an immediate
# shutdown, on 20,000 rows, with the same checks (nothing visible of an
# interrupted call, no orphans, the ledger verifies, the call runs again).
# docs/reliability.md has the figures of the full run.
export FAULT_RUNS=${FAULT_RUNS:-1} FAULT_ROWS=${FAULT_ROWS:-20000}
exec bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/faults.sh"
