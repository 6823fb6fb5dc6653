// crash.test.mjs — SIGKILL the server again and again under concurrent writes
// and prove that nothing acknowledged is ever lost or half-saved.
//
// One database lives through every trial. Each trial restarts the server on
// it, checks everything written so far, then runs 4 writer loops (creates
// with a unique marker in family_name, and PATCHes of the writer's own earlier
// records) for a random 30–250 ms and kills the server with SIGKILL while
// requests are in flight. A fifth loop writes control-room incidents: it
// creates an incident linking an earlier child record (under 18 on the
// incident's date, sometimes the same child again, sometimes with an adult
// suspect), then works through a plan for it: sometimes a THRIVE with
// immediate risk to the child (so a call handler's priority grade falls below
// the floor and waits for a supervisor), a priority grade, log entries,
// sometimes attendance and the child's voice, in a random order across
// trials. A sixth loop grades and regrades case audits (sampled at the start
// from closed incidents inserted for them), each with the version it last
// saw and a unique marker in its reason. A write counts as acknowledged when
// its 2xx status line arrived.
//
// After every restart:
//   (a) every acknowledged create is present with exactly what was sent;
//       patched records carry the acknowledged version and ethnicity, or the
//       ones of the single PATCH that was in flight at the kill;
//   (b) every person row in the database (acknowledged or not) belongs to a
//       create that was sent, has all its alias/address/flag rows as sent and
//       the same search rows as a reference record of the same name shape;
//   (c) every person has exactly one 'create' audit entry and one 'update'
//       entry per version step, so every acknowledged write is audited;
//   (d) PRAGMA integrity_check is ok and `safeguard audit verify` exits 0.
// And for incidents:
//   (e) every acknowledged incident is present with its linked people, its
//       acknowledged THRIVE, grade, log entries, attendance and voice records;
//       an incident write in flight at the kill is there whole or not at all;
//   (f) every incident row (acknowledged or not) was sent, has exactly the
//       incident_person rows sent, a grade history row for its grade, and a
//       log that agrees with its other rows (one "created", one "linked" per
//       person, one "Graded" per grade history row, one "THRIVE" per
//       assessment, one "Attended" when attended, one "Voice" per voice row);
//   (g) tasks are consistent with records: for every incident the set of
//       open task rules is exactly the set whose predicate (restated from
//       src/rules/rules.c) holds over the row, at most one per rule, each due
//       at its from-field plus the rule's minutes and naming the first child;
//       no task points at a missing incident;
//   (h) every incident has exactly one audit entry per committed write
//       (create, thrive, grade, log, attend, voice_of_child).
// And for case audits:
//   (i) every acknowledged grading is present at its version with exactly the
//       grades sent; a grading in flight at the kill is there whole or not at
//       all; every grading row was sent, to that audit at that version;
//   (j) each audit's version is one more than its gradings, its versions
//       run without a gap, it points at its latest grading and is completed
//       exactly when it has one; one 'grade' audit entry per grading.
// And for police protection (a writer recording cases for acknowledged
// children, then each case's steps in a fixed order: designated officer,
// place of safety, the three notifications, two notes, release):
//   (n) every acknowledged case and step is there; every case row was sent
//       and is whole: its timeline is the plan's first steps in order, its
//       columns, version and audit entries agree with that timeline, it keeps
//       the area's rules (designated officer not the initiating one, a police
//       station with its reason), and its open tasks are exactly those its
//       state needs, each due from initiated_at (restated from rules.c).
// And for the disclosure scheme:
//   (n) every acknowledged application and initial contact is there; every
//       application was sent, is whole (its child, its 'received' event, one
//       'create' audit entry) and its open tasks are exactly its stage's.
// And for registered sex offenders (a writer creating adult people, each
// already carrying the registered_sex_offender flag the register will keep,
// registering them, then each offender's steps in a fixed order: risk
// assessment, plan review, visit, notification, visit):
//   (o) every acknowledged registration and step is there; every offender row
//       was sent and is whole: its rows are the plan's first steps, its
//       version and audit entries agree with them; registering moved the
//       person's version once, audited as a person update (so (c) holds).
// Records written in the previous trial are also read back through
// GET /api/people/{id}; after the last trial every acknowledged record is.
//
// And for custody: (n) every acknowledged booking and welfare visit is there, nothing
// unsent is, each record is whole (one booking entry, one age entry, one entry per
// visit) with exactly a fresh child's clocks, the visit due 30 minutes after the last.
//
// CRASH_TRIALS (default 50) and CRASH_SEED (default random) tune the run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
    freshDb, serveDb, assertIntegrity, assertAuditVerifies, personBody, dumpPeople, personAudit,
    idFromLocation, sleep, assertMatchesBody, makeUser, CLOCK, dumpIncidents, incidentAudit,
    orphanIncidentTasks, expectedIncidentTasks, insertClosedIncidents, dumpCaseAudits, AUDIT_INCIDENT_PREFIX,
    cli, sqlite,
} from './helper.mjs';

const TRIALS = Number(process.env.CRASH_TRIALS || 50);
const SEED = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
const WRITERS = 4;
const GIVEN = ['Amara', 'Bethany', 'Callum', 'Dmitri'];
const THRIVE = {
    threat: 'Caller reports a threat to the child', harm: 'Risk of physical harm', risk: 'High',
    investigation: 'Assault likely', vulnerability: 'A child in the house', engagement: 'Caller engaging',
};
const TODAY = CLOCK.slice(0, 10);
const AUDITS = 30; // case audits sampled for the grading writer
const CRITERIA = ['risk_assessed', 'response_matched_risk', 'voice_recorded', 'partners_informed', 'supervision_evident'];
const SCALE = ['good', 'requires_improvement', 'inadequate', 'not_applicable'];
/** Under 18 on the incidents' date (the server's fixed clock). */
const isChild = (dob) => `${Number(dob.slice(0, 4)) + 18}${dob.slice(4)}` > TODAY;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** mulberry32: a small seeded PRNG, so a failing run can be replayed (timing aside). */
function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

test(`crash: ${TRIALS} SIGKILL/restart trials under concurrent writes lose nothing acknowledged`,
    { timeout: 600000 }, async (t) => {
        const rand = prng(SEED);
        t.diagnostic(`CRASH_SEED=${SEED}`);
        const db = freshDb();
        /** marker → {body, writer}: every create ever sent. */
        const sent = new Map();
        /** id → {marker, body, owner, version, ethnicity, pending, acked, touched}: known records. */
        const records = new Map();
        /** given name → sorted search rows of a clean reference record. */
        const refSearch = new Map();
        const problems = [];
        /** location → {persons, plan}: every incident create ever sent. */
        const sentIncidents = new Map();
        const sentLogs = new Set(); // every log entry sent (unique text naming its incident)
        const sentVoices = new Set(); // every voice "words" sent
        /** id → {id, loc, child, persons, plan, next, thrives, graded, logs, attended, voices, pending, ...}. */
        const incidents = new Map();
        let chToken = null; // a call handler: below-floor grades wait for a supervisor
        let ackedIncidentCreates = 0;
        let ackedIncidentWrites = 0; // thrive, grade, log, attend, voice
        let recoveredIncidents = 0;
        let landedIncidentWrites = 0;
        let taskChecks = 0; // incident × trial checks of the open task set
        const openTaskRules = new Map(); // rule → times seen open in a check, for the summary
        /** marker → {audit, version, body}: every grading sent. */
        const sentGradings = new Map();
        /** audit id → {id, version, pending, inflight, touched}: the sampled audits. */
        const audits = new Map();
        let ackedGradings = 0;
        let landedGradings = 0;
        const responses = new Map(); // "status code" → count, for the summary
        let acked = 0;
        let ackedCreates = 0;
        let ackedPatches = 0;
        let recovered = 0; // unacknowledged creates found committed (allowed, must be whole)
        let landedPatches = 0; // in-flight PATCHes found committed (allowed)
        let lost = 0;
        let corrupt = 0;
        let refusedWrites = 0; // non-2xx answers to writes: none are expected
        // Board commentary (assurance): every text sent, and those acknowledged.
        const sentCommentary = new Set();
        const ackedCommentary = new Set();
        let recId = null;
        const problem = (kind, msg) => {
            if (kind === 'lost') lost++;
            else if (kind === 'refused') refusedWrites++;
            else corrupt++;
            if (problems.length < 50) problems.push(`${kind}: ${msg}`);
        };

        // ---- one writer loop ------------------------------------------------
        async function writer(srv, trial, w, stop) {
            let n = 0;
            for (;;) {
                if (stop.done) return;
                const own = [...records.values()].filter((r) => r.owner === w && !r.pending && !r.inflight);
                try {
                    if (own.length && rand() < 0.4) {
                        const r = own[Math.floor(rand() * own.length)];
                        const ethnicity = `eth-t${trial}-w${w}-k${n++}`;
                        r.inflight = true;
                        r.pending = { version: r.version + 1, ethnicity };
                        const res = await srv.api('PATCH', `/api/people/${r.id}`,
                            { body: { version: r.version, ethnicity } });
                        r.inflight = false;
                        count(res);
                        if (res.status === 200) {
                            acked++;
                            ackedPatches++;
                            r.version = r.pending.version;
                            r.ethnicity = ethnicity;
                            r.touched = trial;
                            r.pending = null;
                            if (res.json && res.json.version !== r.version)
                                problem('corrupt', `PATCH ${r.id} answered version ${res.json.version}, expected ${r.version}`);
                        } else {
                            // Refused: nothing may have changed (checked after the restart).
                            r.pending = null;
                            problem('refused', `PATCH ${r.id} answered ${res.status} ${res.text}`);
                        }
                    } else {
                        const marker = `Crash-t${trial}-w${w}-n${n}`;
                        const body = personBody(marker, GIVEN[w], trial * 1000 + n);
                        n++;
                        sent.set(marker, { body, writer: w });
                        const res = await srv.api('POST', '/api/people', { body });
                        count(res);
                        if (res.status === 201) {
                            const id = idFromLocation(res.headers);
                            if (!id) {
                                problem('corrupt', `201 without a Location: ${res.text}`);
                                continue;
                            }
                            acked++;
                            ackedCreates++;
                            records.set(id, {
                                id, marker, body, owner: w, version: 1, ethnicity: null, pending: null,
                                acked: true, touched: trial,
                            });
                        } else {
                            problem('refused', `POST ${marker} answered ${res.status} ${res.text}`);
                        }
                    }
                } catch {
                    // The connection broke: the server was killed. Whatever was
                    // in flight is unacknowledged (a pending PATCH stays pending).
                    return;
                }
            }
        }
        // ---- the incident writer -------------------------------------------
        let lastChild = null;
        async function incidentWriter(srv, trial, stop) {
            let n = 0;
            for (;;) {
                if (stop.done) return;
                const todo = [...incidents.values()].filter((i) => i.next < i.plan.length && !i.inflight);
                try {
                    if (todo.length && rand() < 0.65) {
                        const i = todo[Math.floor(rand() * todo.length)];
                        const step = i.plan[i.next];
                        const pending = { kind: step };
                        let method = 'POST';
                        let path = `/api/incidents/${i.id}/${step}`;
                        let body = {};
                        let headers;
                        if (step === 'thrive') {
                            body = { ...THRIVE, child_immediate_risk: true };
                        } else if (step === 'grade') {
                            body = { grade: 'priority' };
                            if (i.plan.includes('thrive')) {
                                // Below the emergency floor, by a call handler: waits for a supervisor.
                                body.grade_reason = 'Officers nearby; suspect has left';
                                headers = { Authorization: `Bearer ${chToken}` };
                            }
                        } else if (step === 'log') {
                            pending.entry = `Crash-log-t${trial}-i${i.id}-k${n++}`;
                            sentLogs.add(pending.entry);
                            body = { entry: pending.entry };
                        } else if (step === 'voice') {
                            pending.words = `Crash-voice-t${trial}-i${i.id}-k${n++}`;
                            sentVoices.add(pending.words);
                            method = 'PUT';
                            path = `/api/incidents/${i.id}/voice/${i.child}`;
                            body = { seen: true, spoken_to: true, words: pending.words };
                        }
                        i.inflight = true;
                        i.pending = pending;
                        const res = await srv.api(method, path, { body, headers });
                        i.inflight = false;
                        i.pending = null;
                        count(res);
                        if (res.status === 200) {
                            acked++;
                            ackedIncidentWrites++;
                            applyStep(i, pending);
                            i.touched = trial;
                        } else {
                            problem('refused', `${method} ${path} answered ${res.status} ${res.text}`);
                            i.next = i.plan.length; // give up on this one
                        }
                    } else {
                        const kids = [...records.values()].filter((r) => isChild(r.body.dob));
                        if (!kids.length) {
                            await sleep(5);
                            continue;
                        }
                        const child = lastChild && records.has(lastChild) && rand() < 0.35
                            ? lastChild : kids[Math.floor(rand() * kids.length)].id;
                        lastChild = child;
                        const persons = [{ person_id: child, role: rand() < 0.5 ? 'victim' : 'child_present' }];
                        const adults = [...records.values()].filter((r) => !isChild(r.body.dob));
                        if (adults.length && rand() < 0.5)
                            persons.push({ person_id: adults[Math.floor(rand() * adults.length)].id, role: 'suspect' });
                        const loc = `${n + 1} Crash-inc-t${trial}-k${n} Street`;
                        n++;
                        const body = {
                            location: loc, postcode: 'SG1 1AA', nature: 'domestic_abuse',
                            received_at: iso(Date.parse(CLOCK) - Math.floor(rand() * 60) * 60000), persons,
                        };
                        const plan = [];
                        if (rand() < 0.3) plan.push('thrive');
                        plan.push('grade');
                        const rest = ['log'];
                        if (rand() < 0.3) rest.push('log');
                        if (rand() < 0.5) rest.push('attend');
                        if (rand() < 0.6) rest.push('voice');
                        while (rest.length) plan.push(rest.splice(Math.floor(rand() * rest.length), 1)[0]);
                        const expected = persons.map((p) => ({
                            person_id: p.person_id, role: p.role, is_child: isChild(records.get(p.person_id).body.dob) ? 1 : 0,
                        }));
                        sentIncidents.set(loc, { persons: expected, plan, child });
                        const res = await srv.api('POST', '/api/incidents', { body });
                        count(res);
                        if (res.status === 201) {
                            const id = idFromLocation(res.headers, 'incidents');
                            if (!id || res.json?.id !== id) {
                                problem('corrupt', `incident 201 with Location ${res.headers.location}: ${res.text}`);
                                continue;
                            }
                            acked++;
                            ackedIncidentCreates++;
                            incidents.set(id, newIncident(id, loc, sentIncidents.get(loc), true, trial));
                        } else {
                            problem('refused', `POST /api/incidents ${loc} answered ${res.status} ${res.text}`);
                        }
                    }
                } catch {
                    return; // killed: whatever was in flight is unacknowledged
                }
            }
        }
        // ---- the case audit grader -----------------------------------------
        function gradingBody(version, marker) {
            const grades = {};
            for (const k of CRITERIA) {
                const grade = SCALE[Math.floor(rand() * SCALE.length)];
                grades[k] = grade === 'requires_improvement' || grade === 'inadequate'
                    ? { grade, reason: `${marker}-${k}` } : { grade };
            }
            return { version, grades, overall_grade: SCALE[Math.floor(rand() * 3)], overall_reason: marker };
        }
        async function gradingWriter(srv, trial, stop) {
            let n = 0;
            for (;;) {
                if (stop.done) return;
                const free = [...audits.values()].filter((a) => !a.inflight);
                const a = free[Math.floor(rand() * free.length)];
                const marker = `Crash-grade-t${trial}-a${a.id}-k${n++}`;
                const body = gradingBody(a.version, marker);
                sentGradings.set(marker, { audit: a.id, version: a.version + 1, body });
                a.inflight = true;
                a.pending = a.version + 1;
                let res;
                try {
                    res = await srv.api('POST', `/api/case-audits/${a.id}`, { body });
                } catch {
                    return; // killed: the grading in flight is unacknowledged (a.pending stays)
                }
                a.inflight = false;
                a.pending = null;
                count(res);
                if (res.status === 200 && res.json?.version === a.version + 1) {
                    acked++;
                    ackedGradings++;
                    a.version++;
                    a.touched = trial;
                } else {
                    problem('refused', `POST /api/case-audits/${a.id} v${a.version} answered ${res.status} ${res.text}`);
                }
            }
        }
        // (i) + (j), after a restart.
        function verifyAudits(trial) {
            const at = `after trial ${trial}`;
            for (const d of dumpCaseAudits(db.dbPath).values()) {
                const what = `case audit ${d.id}`;
                const versions = d.gradings.map((g) => g.version);
                if (d.version !== 1 + d.gradings.length || versions.some((v, k) => v !== k + 2))
                    problem('corrupt', `${what} is at version ${d.version} with gradings ${JSON.stringify(versions)} ${at}`);
                const last = d.gradings.at(-1);
                if ((d.grading_id ?? null) !== (last?.id ?? null) || (d.status === 'completed') !== !!last ||
                    !!d.completed_at !== !!last)
                    problem('corrupt', `${what} ${d.status}, grading ${d.grading_id}, completed ${d.completed_at}, ` +
                        `latest grading ${last?.id} ${at}`);
                if (d.graded !== d.gradings.length)
                    problem('corrupt', `${what} has ${d.graded} 'grade' audit entries for ${d.gradings.length} gradings ${at}`);
                for (const g of d.gradings) {
                    const sentG = sentGradings.get(g.overall_reason);
                    const want = sentG && CRITERIA.map((k) => ({ key: k, grade: sentG.body.grades[k].grade,
                        reason: sentG.body.grades[k].reason ?? null }));
                    if (!sentG || sentG.audit !== d.id || sentG.version !== g.version ||
                        g.overall_grade !== sentG.body.overall_grade || JSON.stringify(g.grades) !== JSON.stringify(want))
                        problem('corrupt', `${what} grading v${g.version} was not sent as it is: ${JSON.stringify(g)} ${at}`);
                }
                const a = audits.get(d.id);
                if (!a) {
                    problem('corrupt', `${what} was never sampled by this test`);
                    continue;
                }
                if (d.version === a.version) {
                    // as acknowledged
                } else if (a.pending && d.version === a.pending) {
                    landedGradings++; // the grading in flight at the kill committed, whole
                } else if (d.version < a.version) {
                    problem('lost', `${what}: acknowledged v${a.version}, found v${d.version} ${at}`);
                } else {
                    problem('corrupt', `${what}: expected v${a.version}${a.pending ? ` or v${a.pending}` : ''}, found v${d.version} ${at}`);
                }
                a.version = d.version;
                a.pending = null;
                a.inflight = false;
            }
        }

        function newIncident(id, loc, s, ackedCreate, touched) {
            return {
                id, loc, child: s.child, persons: s.persons, plan: s.plan, next: 0, thrives: 0, graded: 0,
                logs: [], attended: false, voices: new Map(), pending: null, inflight: false, ackedCreate, touched,
            };
        }
        function applyStep(i, p) {
            if (p.kind === 'thrive') i.thrives++;
            else if (p.kind === 'grade') i.graded++;
            else if (p.kind === 'log') i.logs.push(p.entry);
            else if (p.kind === 'attend') i.attended = true;
            else if (p.kind === 'voice') i.voices.set(i.child, p.words);
            i.next++;
        }
        function count(res) {
            const k = `${res.status} ${res.json?.error?.code ?? ''}`.trim();
            responses.set(k, (responses.get(k) || 0) + 1);
        }

        // ---- one missing-children writer: reports, timeline entries and reviews
        const sentMissing = new Set(); // every report's circumstances (a unique marker)
        const ackedMissing = new Map(); // marker -> {id, person}
        const sentMissingEvents = new Set();
        const ackedMissingEvents = new Set();
        const missingPeople = new Set(); // people with an acknowledged open episode
        async function missingWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const kids = [...records.values()].filter((r) => r.acked && isChild(r.body.dob) && !missingPeople.has(r.id));
                const open = [...ackedMissing.values()];
                try {
                    if (kids.length && (rand() < 0.3 || !open.length)) {
                        const kid = kids[Math.floor(rand() * kids.length)];
                        const marker = `missing t${trial} n${n++}`;
                        sentMissing.add(marker);
                        missingPeople.add(kid.id); // also when unacknowledged: it may have landed
                        const res = await srv.api('POST', '/api/missing', { body: {
                            person_id: kid.id, reported_by: 'Carer', last_seen_at: '2026-06-01T10:00:00Z',
                            last_seen_location: 'Park', missing_from: `Home ${kid.id}`, circumstances: marker,
                            risk: ['high', 'medium', 'low'][n % 3], risk_rationale: 'Assessed in the crash test',
                        } });
                        count(res);
                        if (res.status === 201) {
                            ackedMissing.set(marker, { id: res.json.id, person: kid.id });
                            acked++;
                        } else if (res.status !== 409) {
                            problem('refused', `missing report: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else if (open.length) {
                        const ep = open[Math.floor(rand() * open.length)];
                        const text = `event t${trial} n${n++}`;
                        sentMissingEvents.add(text);
                        const review = rand() < 0.3;
                        const res = review
                            ? await srv.api('POST', `/api/missing/${ep.id}/reviews`, { body: { risk: ['high', 'medium', 'low'][n % 3], rationale: text } })
                            : await srv.api('POST', `/api/missing/${ep.id}/events`, { body: { kind: 'enquiry', text } });
                        count(res);
                        if (res.status === 200) {
                            ackedMissingEvents.add(text);
                            acked++;
                        } else {
                            problem('refused', `missing ${review ? 'review' : 'event'}: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        await sleep(5);
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        /** (j) acknowledged reports and entries are there, nothing unsent is, and every
         * still-missing episode has exactly the review task its risk requires. */
        function verifyMissing(trial) {
            const eps = sqlite(db.dbPath, 'SELECT id, circumstances, risk, status, last_reviewed_at FROM missing_episode');
            const have = new Map(eps.map((e) => [e.circumstances, e]));
            for (const [marker] of ackedMissing)
                if (!have.has(marker)) problem('lost', `acknowledged missing report "${marker}" gone after trial ${trial}`);
            for (const e of eps)
                if (!sentMissing.has(e.circumstances)) problem('corrupt', `missing episode ${e.id} never sent: ${e.circumstances}`);
            const texts = new Set(sqlite(db.dbPath, "SELECT text FROM missing_event WHERE kind = 'enquiry'" +
                " UNION ALL SELECT rationale FROM missing_review").map((r) => r.text));
            for (const t of ackedMissingEvents)
                if (!texts.has(t)) problem('lost', `acknowledged missing entry "${t}" gone after trial ${trial}`);
            const interval = { high: 120, medium: 360, low: 720 };
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule, due_at FROM task WHERE record_type = 'missing_episode'" +
                " AND status = 'open' AND rule LIKE 'missing.review_%'");
            for (const e of eps.filter((x) => x.status === 'missing')) {
                const mine = tasks.filter((t) => t.record_id === e.id);
                const due = iso(Date.parse(e.last_reviewed_at) + interval[e.risk] * 60000);
                if (mine.length !== 1 || mine[0].rule !== `missing.review_${e.risk}` || mine[0].due_at !== due)
                    problem('corrupt', `missing episode ${e.id} (${e.risk}, reviewed ${e.last_reviewed_at}) has review tasks ` +
                        `${JSON.stringify(mine)}, expected missing.review_${e.risk} due ${due}`);
            }
        }

        // ---- one referral writer: drafts and submissions
        const sentReferrals = new Set(); // every summary sent (a unique marker)
        const ackedReferrals = new Map(); // marker -> {id, submitted}
        let agencyId = null;
        async function referralWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const kids = [...records.values()].filter((r) => r.acked && isChild(r.body.dob));
                const drafts = [...ackedReferrals.values()].filter((r) => !r.submitted && !r.inflight);
                try {
                    if (drafts.length && rand() < 0.4) {
                        const d = drafts[Math.floor(rand() * drafts.length)];
                        d.inflight = true;
                        const res = await srv.api('POST', `/api/referrals/${d.id}/submit`, { body: { version: d.version } });
                        count(res);
                        d.inflight = false;
                        if (res.status === 200) {
                            d.submitted = true;
                            acked++;
                        } else {
                            problem('refused', `referral submit: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else if (kids.length) {
                        const kid = kids[Math.floor(rand() * kids.length)];
                        const marker = `referral t${trial} n${n++}`;
                        sentReferrals.add(marker);
                        const res = await srv.api('POST', '/api/referrals', { body: {
                            person_id: kid.id, categories: ['neglect'], summary: marker, child_voice: 'Seen',
                            risk_view: 'Low', consent: 'given', agencies: [{ id: agencyId }],
                        } });
                        count(res);
                        if (res.status === 201) {
                            ackedReferrals.set(marker, { id: res.json.id, version: res.json.version, submitted: false });
                            acked++;
                        } else {
                            problem('refused', `referral: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        await sleep(5);
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        /** (k) every acknowledged referral and submission is there; each has exactly the tasks its state needs. */
        function verifyReferrals(trial) {
            const rows = sqlite(db.dbPath, 'SELECT id, summary, status, version FROM referral');
            const have = new Map(rows.map((r) => [r.summary, r]));
            for (const [marker, r] of ackedReferrals) {
                const row = have.get(marker);
                if (!row) problem('lost', `acknowledged referral "${marker}" gone after trial ${trial}`);
                else if (r.submitted && row.status !== 'submitted')
                    problem('lost', `acknowledged submission of "${marker}" is ${row.status} after trial ${trial}`);
                else r.version = row.version; // an in-flight submit may have landed
                if (row && row.status === 'submitted') r.submitted = true;
            }
            for (const r of rows)
                if (!sentReferrals.has(r.summary)) problem('corrupt', `referral ${r.id} never sent: ${r.summary}`);
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule FROM task WHERE record_type = 'referral' AND status = 'open'");
            for (const r of rows) {
                const mine = tasks.filter((t) => t.record_id === r.id).map((t) => t.rule).sort();
                const want = r.status === 'submitted' ? ['referral.review', 'referral.send_within_24h'] : ['referral.send_within_24h'];
                if (JSON.stringify(mine) !== JSON.stringify(want))
                    problem('corrupt', `referral ${r.id} (${r.status}) has tasks ${JSON.stringify(mine)}, expected ${JSON.stringify(want)}`);
            }
        }

        // ---- one investigations writer: cases opened and actions planned
        const sentInvestigations = new Set(); // every crime_type sent (a unique marker)
        const ackedInvestigations = new Map(); // marker -> {id, actions: Set of titles acknowledged}
        const sentInvActions = new Set();
        async function investigationWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const open = [...ackedInvestigations.values()];
                try {
                    if (open.length && rand() < 0.6) {
                        const inv = open[Math.floor(rand() * open.length)];
                        const title = `inv action t${trial} n${n++}`;
                        sentInvActions.add(title);
                        const res = await srv.api('POST', `/api/investigations/${inv.id}/actions`, { body: { title } });
                        count(res);
                        if (res.status === 200) {
                            inv.actions.add(title);
                            acked++;
                        } else {
                            problem('refused', `investigation action: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        const marker = `Crash crime t${trial} n${n++}`;
                        sentInvestigations.add(marker);
                        const res = await srv.api('POST', '/api/investigations', { body: { crime_type: marker, category: 'neglect' } });
                        count(res);
                        if (res.status === 201) {
                            ackedInvestigations.set(marker, { id: res.json.id, actions: new Set() });
                            acked++;
                        } else {
                            problem('refused', `investigation: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        /** (l) acknowledged investigations and actions are there, nothing unsent is, each new case awaits allocation. */
        function verifyInvestigations(trial) {
            const rows = sqlite(db.dbPath, 'SELECT id, crime_type, status FROM investigation');
            const have = new Map(rows.map((r) => [r.crime_type, r]));
            for (const [marker, inv] of ackedInvestigations) {
                if (!have.has(marker)) {
                    problem('lost', `acknowledged investigation "${marker}" gone after trial ${trial}`);
                    continue;
                }
                const titles = new Set(sqlite(db.dbPath, `SELECT title FROM investigation_action WHERE investigation_id = ${inv.id}`)
                    .map((a) => a.title));
                for (const t of inv.actions)
                    if (!titles.has(t)) problem('lost', `acknowledged action "${t}" gone after trial ${trial}`);
            }
            for (const r of rows)
                if (!sentInvestigations.has(r.crime_type)) problem('corrupt', `investigation ${r.id} never sent: ${r.crime_type}`);
            for (const a of sqlite(db.dbPath, 'SELECT title FROM investigation_action'))
                if (!sentInvActions.has(a.title)) problem('corrupt', `investigation action never sent: ${a.title}`);
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule FROM task WHERE record_type = 'investigation' AND status = 'open'");
            for (const r of rows) {
                const mine = tasks.filter((t) => t.record_id === r.id).map((t) => t.rule);
                if (JSON.stringify(mine) !== JSON.stringify(['investigation.allocate']))
                    problem('corrupt', `investigation ${r.id} (${r.status}) has tasks ${JSON.stringify(mine)}, expected ["investigation.allocate"]`);
            }
        }

        // ---- one online referrals writer: small batches imported whole
        const sentOnline = new Set(); // every source_reference sent
        const ackedOnline = new Set();
        async function onlineWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const refs = [0, 1].map(() => `OCS-t${trial}-n${n++}`);
                refs.forEach((r) => sentOnline.add(r));
                const batch = refs.map((r) => ({
                    source: 'Crash CEOP', source_reference: r, platform: 'CrashApp', content_category: 'other',
                    identifiers: [{ kind: 'username', value: `user-${r}` }],
                }));
                try {
                    const res = await srv.api('POST', '/api/online-referrals/import',
                        { body: { format: 'json', content: JSON.stringify(batch) } });
                    count(res);
                    if (res.status === 201) {
                        refs.forEach((r) => ackedOnline.add(r));
                        acked++;
                    } else {
                        problem('refused', `online import: ${res.status} ${res.text.slice(0, 200)}`);
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        /** (m) acknowledged batches are there whole; a batch is all or nothing; each referral has its clocks. */
        function verifyOnline(trial) {
            const rows = sqlite(db.dbPath, 'SELECT id, source_reference FROM online_referral');
            const have = new Set(rows.map((r) => r.source_reference));
            for (const r of ackedOnline)
                if (!have.has(r)) problem('lost', `acknowledged online referral ${r} gone after trial ${trial}`);
            for (const r of rows) {
                if (!sentOnline.has(r.source_reference)) problem('corrupt', `online referral ${r.id} never sent`);
                const pair = r.source_reference.replace(/n(\d+)$/, (m, d) => `n${Number(d) ^ 1}`);
                if (!have.has(pair)) problem('corrupt', `online referral ${r.source_reference} landed without its batch mate ${pair}`);
            }
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule FROM task WHERE record_type = 'online_referral' AND status = 'open'");
            for (const r of rows) {
                const mine = tasks.filter((t) => t.record_id === r.id).map((t) => t.rule).sort();
                if (JSON.stringify(mine) !== JSON.stringify(['ocse.action_low', 'ocse.identify']))
                    problem('corrupt', `online referral ${r.id} has tasks ${JSON.stringify(mine)}`);
            }
        }

        // ---- one police protection writer: cases for children, then their steps in order
        const PP_STEPS = ['designated', 'placed', 'la_informed', 'parents_informed', 'child_informed', 'note', 'note', 'released'];
        const sentPP = new Set(); // every circumstances sent (a unique marker)
        const sentPPNotes = new Set();
        const ppKids = new Set(); // children a case was ever sent for: one case per child
        /** marker → {id, steps (acknowledged), next (committed, as last seen), pending, notes: Set acknowledged}. */
        const ackedPP = new Map();
        let ppOfficer = null; // the designated officer: never the tester, who uses the power
        let ppLanded = 0; // in-flight steps found committed
        function ppBody(step, marker, trial, n) {
            switch (step) {
                case 'designated': return ['designate', { designated_officer_id: ppOfficer }];
                case 'placed': return ['place', n % 3 === 0
                    ? { kind: 'police_station', detail: 'Crash station', reason: `No carer free (${marker})` }
                    : { kind: 'foster_carer', detail: `Crash carer (${marker})` }];
                case 'la_informed': return ['notifications', { whom: 'la', detail: 'Crash duty team' }];
                case 'parents_informed': return ['notifications', { whom: 'parents', detail: 'Crash mother' }];
                case 'child_informed': return ['notifications', { whom: 'child', views: `Views of ${marker}` }];
                case 'note': {
                    const text = `pp note t${trial} n${n}`;
                    sentPPNotes.add(text);
                    return ['notes', { text }];
                }
                default: return ['release', { released_to: 'Crash grandmother' }];
            }
        }
        async function protectionWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const open = [...ackedPP.values()].filter((c) => c.next < PP_STEPS.length && !c.pending);
                try {
                    if (open.length && rand() < 0.75) {
                        const c = open[Math.floor(rand() * open.length)];
                        const step = PP_STEPS[c.next];
                        const [what, body] = ppBody(step, c.marker, trial, n++);
                        c.pending = { step, note: body.text };
                        const res = await srv.api('POST', `/api/police-protection/${c.id}/${what}`, { body });
                        count(res);
                        c.pending = null;
                        if (res.status === 200) {
                            c.next++;
                            c.steps = Math.max(c.steps, c.next);
                            if (body.text) c.notes.add(body.text);
                            acked++;
                        } else {
                            problem('refused', `police protection ${what}: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        const kids = [...records.values()].filter((r) => r.acked && isChild(r.body.dob) && !ppKids.has(r.id));
                        if (!kids.length) {
                            await sleep(5);
                            continue;
                        }
                        const kid = kids[Math.floor(rand() * kids.length)];
                        const marker = `Crash s46 t${trial} n${n++}`;
                        sentPP.add(marker);
                        ppKids.add(kid.id);
                        const res = await srv.api('POST', '/api/police-protection', { body: {
                            person_id: kid.id, power: 'removed', circumstances: marker, grounds: 'Likely significant harm',
                        } });
                        count(res);
                        if (res.status === 201) {
                            ackedPP.set(marker, { id: res.json.id, marker, steps: 0, next: 0, pending: null, notes: new Set() });
                            acked++;
                        } else {
                            problem('refused', `police protection: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        // ---- one disclosure scheme writer: applications and their first stage
        const sentDisclosures = new Set(); // every applicant_name sent (a unique marker)
        const ackedDisclosures = new Map(); // marker -> {id, contacted: bool acknowledged}
        let csodPeople = null; // {child, subject} of the next application
        async function disclosureWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                try {
                    // The child and subject: people the person writers made and had acknowledged.
                    const kids = [...records.values()].filter((r) => r.acked && isChild(r.body.dob));
                    const adults = [...records.values()].filter((r) => r.acked && !isChild(r.body.dob));
                    if (!kids.length || !adults.length) {
                        await sleep(5);
                        continue;
                    }
                    csodPeople = { child: kids[n % kids.length].id, subject: adults[n % adults.length].id };
                    const waiting = [...ackedDisclosures.values()].filter((a) => !a.contacted && !a.pending);
                    if (waiting.length && rand() < 0.5) {
                        const a = waiting[Math.floor(rand() * waiting.length)];
                        a.pending = true;
                        const res = await srv.api('POST', `/api/disclosure/${a.id}/initial-contact`, { body: { note: `contact t${trial}`, immediate_risk: false } });
                        count(res);
                        if (res.status === 200) {
                            a.contacted = true;
                            a.pending = false;
                            acked++;
                        } else {
                            problem('refused', `disclosure contact: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        const marker = `Crash applicant t${trial} n${n++}`;
                        sentDisclosures.add(marker);
                        const res = await srv.api('POST', '/api/disclosure', {
                            body: {
                                applicant_name: marker, applicant_relationship: 'parent', children: [{ person_id: csodPeople.child }],
                                subject_person_id: csodPeople.subject, subject_relationship: 'neighbour', received_via: 'phone',
                            },
                        });
                        count(res);
                        if (res.status === 201) {
                            ackedDisclosures.set(marker, { id: res.json.id, contacted: false, pending: false });
                            acked++;
                        } else {
                            problem('refused', `disclosure: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        // ---- one custody writer: children booked in, welfare visits on their records
        const sentCustody = new Set(); // every booking's grounds (a unique marker)
        const ackedCustody = new Map(); // marker -> {id, visits: Set}
        const sentVisits = new Set();
        const custodyPeople = new Set(); // people booked in (also unacknowledged: it may have landed)
        async function custodyWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const people = [...records.values()].filter((r) => r.acked && !custodyPeople.has(r.id));
                const open = [...ackedCustody.values()];
                try {
                    if (people.length && (rand() < 0.4 || !open.length)) {
                        const p = people[Math.floor(rand() * people.length)];
                        const marker = `custody t${trial} n${n++}`;
                        sentCustody.add(marker);
                        custodyPeople.add(p.id);
                        const res = await srv.api('POST', '/api/custody', { body: {
                            person_id: p.id, suite: 'Crash suite', grounds: marker, apparent_age: 15,
                            local_authority: 'Crash Council',
                        } });
                        count(res);
                        if (res.status === 201) {
                            ackedCustody.set(marker, { id: res.json.id, visits: new Set() });
                            acked++;
                        } else {
                            problem('refused', `custody booking: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else if (open.length) {
                        const rec = open[Math.floor(rand() * open.length)];
                        const condition = `visit t${trial} n${n++}`;
                        sentVisits.add(condition);
                        const res = await srv.api('POST', `/api/custody/${rec.id}/visits`, { body: { condition } });
                        count(res);
                        if (res.status === 200) {
                            rec.visits.add(condition);
                            acked++;
                        } else {
                            problem('refused', `custody visit: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        await sleep(5);
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        /** (n) acknowledged cases and steps are there, nothing unsent is; each case is whole: its
         * timeline the plan's steps in order, its columns and version agreeing with it, one audit
         * entry per write, and exactly the open tasks its state needs (restated from rules.c). */
        function verifyProtection(trial) {
            const rows = sqlite(db.dbPath, `SELECT c.id, c.circumstances, c.status, c.initiated_at, c.initiating_officer_id,
                c.designated_officer_id, c.place_kind, c.place_reason, c.la_informed_at, c.parents_recorded_at,
                c.child_informed_at, c.child_views, c.inquiry_at, c.epo_sought, c.released_at, c.version,
                (SELECT json_group_array(json_object('kind', kind, 'text', text)) FROM
                   (SELECT kind, text FROM protection_event WHERE case_id = c.id ORDER BY id)) AS events,
                (SELECT COUNT(*) FROM audit_log l WHERE l.record_type = 'police_protection' AND l.record_id = c.id
                   AND l.action <> 'read') AS writes
                FROM police_protection c`);
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule, due_at FROM task WHERE record_type = 'police_protection' AND status = 'open'");
            const have = new Map(rows.map((r) => [r.circumstances, r]));
            for (const [marker, c] of ackedPP) {
                const row = have.get(marker);
                if (!row) {
                    problem('lost', `acknowledged police protection case "${marker}" gone after trial ${trial}`);
                    continue;
                }
                const done = JSON.parse(row.events).length - 1;
                if (done < c.steps) problem('lost', `case ${row.id}: ${c.steps} steps acknowledged, ${done} found after trial ${trial}`);
                if (done > c.next) ppLanded++; // the step in flight at the kill committed
                c.next = done;
                c.steps = Math.min(c.steps, done);
                c.pending = null;
                const texts = new Set(JSON.parse(row.events).map((e) => e.text));
                for (const t of c.notes) if (!texts.has(t)) problem('lost', `acknowledged note "${t}" gone from case ${row.id}`);
            }
            for (const r of rows) {
                const what = `police protection case ${r.id}`;
                if (!sentPP.has(r.circumstances)) {
                    problem('corrupt', `${what} never sent: ${r.circumstances}`);
                    continue;
                }
                const events = JSON.parse(r.events);
                const k = events.length - 1;
                const want = ['initiated', ...PP_STEPS.slice(0, k)];
                if (JSON.stringify(events.map((e) => e.kind)) !== JSON.stringify(want))
                    problem('corrupt', `${what} timeline ${JSON.stringify(events.map((e) => e.kind))}, expected ${JSON.stringify(want)}`);
                for (const e of events.filter((x) => x.kind === 'note'))
                    if (!sentPPNotes.has(e.text)) problem('corrupt', `${what} has a note never sent: ${e.text}`);
                const cols = [!!r.designated_officer_id, !!r.place_kind, !!r.la_informed_at, !!r.parents_recorded_at,
                    !!r.child_informed_at, r.status === 'released'];
                const wantCols = [k >= 1, k >= 2, k >= 3, k >= 4, k >= 5, k >= 8];
                if (JSON.stringify(cols) !== JSON.stringify(wantCols) || (r.status === 'released') !== !!r.released_at)
                    problem('corrupt', `${what} columns ${JSON.stringify(cols)} disagree with its ${k} steps`);
                if (r.designated_officer_id === r.initiating_officer_id || (r.place_kind === 'police_station' && !r.place_reason))
                    problem('corrupt', `${what} breaks a rule: designated ${r.designated_officer_id}, place ${r.place_kind} ${r.place_reason}`);
                if (r.child_informed_at && r.child_views !== `Views of ${r.circumstances}`)
                    problem('corrupt', `${what} child's views ${r.child_views}`);
                if (r.version !== events.length + 1 || r.writes !== events.length)
                    problem('corrupt', `${what} v${r.version}, ${r.writes} audited writes for ${events.length} timeline entries`);
                // The clocks (src/rules/rules.c), each due from initiated_at.
                const active = r.status === 'in_protection';
                const t0 = Date.parse(r.initiated_at);
                const rules = [
                    ['protection.designate', active && !r.designated_officer_id, 60],
                    ['protection.expiry', active, 72 * 60],
                    ['protection.inform_child', !r.child_informed_at, 120],
                    ['protection.inform_la', !r.la_informed_at, 60],
                    ['protection.inform_parents', !r.parents_recorded_at, 120],
                    ['protection.inquiry', active && !!r.designated_officer_id && !r.inquiry_at, 24 * 60],
                    ['protection.release_or_epo', active && !r.epo_sought, 66 * 60],
                ].filter(([, on]) => on).map(([rule, , min]) => `${rule}@${iso(t0 + min * 60000)}`);
                const mine = tasks.filter((t) => t.record_id === r.id).map((t) => `${t.rule}@${t.due_at}`).sort();
                if (JSON.stringify(mine) !== JSON.stringify(rules))
                    problem('corrupt', `${what} (${k} steps) has tasks ${JSON.stringify(mine)}, expected ${JSON.stringify(rules)}`);
            }
        }

        /** (n) acknowledged applications and contacts are there; each application is whole (its child, its
         *  'received' event, one 'create' audit entry) and its open tasks match its stage. */
        function verifyDisclosures(trial) {
            const rows = sqlite(db.dbPath, 'SELECT id, applicant_name, initial_contact_at FROM disclosure_application');
            const have = new Map(rows.map((r) => [r.applicant_name, r]));
            for (const [marker, a] of ackedDisclosures) {
                const r = have.get(marker);
                if (!r) {
                    problem('lost', `acknowledged disclosure application "${marker}" gone after trial ${trial}`);
                    continue;
                }
                if (a.contacted && !r.initial_contact_at) problem('lost', `acknowledged initial contact of ${marker} gone after trial ${trial}`);
                // A contact in flight at the kill may have landed: from now on it is acknowledged.
                if (r.initial_contact_at) a.contacted = true;
                a.pending = false;
            }
            const children = sqlite(db.dbPath, 'SELECT application_id, COUNT(*) AS n FROM disclosure_child GROUP BY application_id');
            const kids = new Map(children.map((c) => [c.application_id, c.n]));
            const received = new Map(sqlite(db.dbPath, "SELECT application_id, COUNT(*) AS n FROM disclosure_event WHERE kind = 'received' GROUP BY application_id")
                .map((c) => [c.application_id, c.n]));
            const creates = new Map(sqlite(db.dbPath, "SELECT record_id, COUNT(*) AS n FROM audit_log WHERE record_type = 'disclosure_application' AND action = 'create' GROUP BY record_id")
                .map((c) => [c.record_id, c.n]));
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule FROM task WHERE record_type = 'disclosure_application' AND status = 'open'");
            for (const r of rows) {
                if (!sentDisclosures.has(r.applicant_name)) problem('corrupt', `disclosure application ${r.id} never sent: ${r.applicant_name}`);
                if (kids.get(r.id) !== 1 || received.get(r.id) !== 1 || creates.get(r.id) !== 1)
                    problem('corrupt', `disclosure application ${r.id} is not whole: ${kids.get(r.id)} children, ${received.get(r.id)} received events, ${creates.get(r.id)} create audits`);
                const mine = tasks.filter((t) => t.record_id === r.id).map((t) => t.rule).sort();
                const want = r.initial_contact_at ? ['disclosure.complete', 'disclosure.face_to_face'] : ['disclosure.complete', 'disclosure.initial_contact'];
                if (JSON.stringify(mine) !== JSON.stringify(want))
                    problem('corrupt', `disclosure application ${r.id} has tasks ${JSON.stringify(mine)}, expected ${JSON.stringify(want)}`);
            }
        }

        /** (n) acknowledged bookings and visits are there, nothing unsent is, each record was
         * booked whole (one timeline entry and one age entry per booking, one per visit) and
         * has exactly a fresh child's clocks, the visit due 30 minutes after the last. */
        function verifyCustody(trial) {
            const rows = sqlite(db.dbPath, 'SELECT id, grounds, arrived_at FROM custody_record');
            const have = new Map(rows.map((r) => [r.grounds, r]));
            for (const [marker, rec] of ackedCustody) {
                if (!have.has(marker)) {
                    problem('lost', `acknowledged custody booking "${marker}" gone after trial ${trial}`);
                    continue;
                }
                const visits = new Set(sqlite(db.dbPath, `SELECT condition FROM custody_visit WHERE record_id = ${rec.id}`).map((v) => v.condition));
                for (const v of rec.visits)
                    if (!visits.has(v)) problem('lost', `acknowledged custody visit "${v}" gone after trial ${trial}`);
            }
            for (const v of sqlite(db.dbPath, 'SELECT condition FROM custody_visit'))
                if (!sentVisits.has(v.condition)) problem('corrupt', `custody visit never sent: ${v.condition}`);
            const events = sqlite(db.dbPath, 'SELECT record_id, kind, COUNT(*) AS n FROM custody_event GROUP BY record_id, kind');
            const ages = sqlite(db.dbPath, 'SELECT record_id, COUNT(*) AS n FROM custody_age_event GROUP BY record_id');
            const visitRows = sqlite(db.dbPath, 'SELECT record_id, COUNT(*) AS n, MAX(at) AS last FROM custody_visit GROUP BY record_id');
            const tasks = sqlite(db.dbPath, "SELECT record_id, rule, due_at FROM task WHERE record_type = 'custody_record' AND status = 'open'");
            const expected = ['custody.inform_responsible_adult', 'custody.request_aa', 'custody.review_first',
                'custody.visit_child', 'custody.welfare_needs'];
            for (const r of rows) {
                if (!sentCustody.has(r.grounds)) problem('corrupt', `custody record ${r.id} never sent: ${r.grounds}`);
                const ev = (k) => events.find((e) => e.record_id === r.id && e.kind === k)?.n ?? 0;
                const vr = visitRows.find((v) => v.record_id === r.id);
                if (ev('booked_in') !== 1 || (ages.find((a) => a.record_id === r.id)?.n ?? 0) !== 1 || ev('visit') !== (vr?.n ?? 0))
                    problem('corrupt', `custody record ${r.id} half-written: ${JSON.stringify({ booked: ev('booked_in'), visits: ev('visit'), rows: vr?.n ?? 0 })}`);
                const mine = tasks.filter((t) => t.record_id === r.id);
                if (JSON.stringify(mine.map((t) => t.rule).sort()) !== JSON.stringify(expected))
                    problem('corrupt', `custody record ${r.id} has tasks ${JSON.stringify(mine.map((t) => t.rule))}`);
                const visit = mine.find((t) => t.rule === 'custody.visit_child');
                const from = Date.parse(vr ? vr.last : r.arrived_at);
                if (visit && visit.due_at !== new Date(from + 30 * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z'))
                    problem('corrupt', `custody record ${r.id}: visit due ${visit.due_at}, last visit ${vr?.last ?? r.arrived_at}`);
            }
        }

        // ---- one offender writer: adult people, registered, then their steps in order
        const OF_STEPS = ['risk-assessments', 'plan', 'visits', 'notifications', 'visits'];
        const OF_REGISTERED = '2026-05-01';
        const sentOf = new Set(); // every conviction offence sent (a unique marker)
        const ofPeople = new Set(); // people a registration was ever sent for: one record per person
        /** marker → {id, person, steps (acknowledged), next (committed, as last seen), pending}. */
        const ackedOf = new Map();
        let ofToken = null; // an offender manager: registering needs offenders.manage
        let ofManager = null;
        let ofLanded = 0; // in-flight registrations or steps found committed
        function ofStepBody(step, k, marker) {
            switch (step) {
                case 'risk-assessments': return { level: 'medium', assessed_on: '2026-05-10', summary: `Risk of ${marker}` };
                case 'plan': return { visit_months: 2, summary: `Plan of ${marker}` };
                case 'notifications': return { kind: 'name', detail: `Name of ${marker}`, event_on: '2026-05-20', notified_on: '2026-05-21' };
                default: return { kind: 'announced', done_on: k < 3 ? '2026-05-15' : '2026-05-25', findings: `Visit ${k} of ${marker}` };
            }
        }
        async function offenderWriter(srv, trial, stop) {
            let n = 0;
            const headers = { Authorization: `Bearer ${ofToken}` };
            while (!stop.done) {
                const people = [...records.values()].filter((r) => r.owner === 'of' && r.acked && !ofPeople.has(r.id));
                const open = [...ackedOf.values()].filter((o) => o.next < OF_STEPS.length && !o.pending);
                try {
                    if (people.length && rand() < 0.5) {
                        // Register: the person's version moves by one (the flag), audited as a person update.
                        const r = people[Math.floor(rand() * people.length)];
                        const marker = `Crash RSO t${trial} n${n++}`;
                        sentOf.add(marker);
                        ofPeople.add(r.id); // also when unacknowledged: it may have landed
                        r.pending = { version: r.version + 1, ethnicity: r.ethnicity };
                        const res = await srv.api('POST', '/api/offenders', { headers, body: {
                            person_id: r.id, registered_on: OF_REGISTERED, offender_manager_id: ofManager, area: 'Crash',
                            convictions: [{ offence: marker, convicted_on: '2026-03-01', disposal: 'caution' }],
                        } });
                        count(res);
                        if (res.status === 201) {
                            r.version++;
                            r.pending = null;
                            r.touched = trial;
                            ackedOf.set(marker, { id: res.json.id, person: r.id, marker, steps: 0, next: 0, pending: null });
                            acked++;
                        } else {
                            problem('refused', `offender: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else if (open.length && rand() < 0.7) {
                        const o = open[Math.floor(rand() * open.length)];
                        const step = OF_STEPS[o.next];
                        o.pending = step;
                        const res = await srv.api('POST', `/api/offenders/${o.id}/${step}`,
                            { headers, body: ofStepBody(step, o.next, o.marker) });
                        count(res);
                        o.pending = null;
                        if (res.status === 200) {
                            o.next++;
                            o.steps = Math.max(o.steps, o.next);
                            acked++;
                        } else {
                            problem('refused', `offender ${step}: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    } else {
                        // An adult already flagged as the register will keep it, so the
                        // person checks ((a), (b)) hold before and after registration.
                        const marker = `Crash-of-t${trial}-n${n++}`;
                        const body = {
                            ...personBody(marker, 'Oswin', n), dob: `19${60 + (n % 30)}-04-0${1 + (n % 9)}`,
                            addresses: [{ line1: `${n} ${marker} Road`, postcode: 'SG9 9OF' }],
                            flags: [{ flag: 'registered_sex_offender', valid_from: OF_REGISTERED }],
                        };
                        sent.set(marker, { body, writer: 'of' });
                        const res = await srv.api('POST', '/api/people', { body });
                        count(res);
                        if (res.status === 201) {
                            const id = idFromLocation(res.headers);
                            records.set(id, { id, marker, body, owner: 'of', version: 1, ethnicity: null, pending: null, acked: true, touched: trial });
                            acked++;
                            ackedCreates++;
                        } else {
                            problem('refused', `offender's person: ${res.status} ${res.text.slice(0, 200)}`);
                        }
                    }
                } catch {
                    return; // killed mid-request
                }
            }
        }

        /** (o) acknowledged registrations and steps are there, nothing unsent is; each offender is
         * whole: its rows the plan's first steps, its version and audit entries agreeing with them. */
        function verifyOffenders(trial) {
            const rows = sqlite(db.dbPath, `SELECT o.id, o.person_id, o.version, o.area,
                (SELECT json_group_array(offence) FROM offender_conviction c WHERE c.offender_id = o.id) AS offences,
                (SELECT COUNT(*) FROM offender_risk_assessment r WHERE r.offender_id = o.id) AS risks,
                (SELECT COUNT(*) FROM offender_plan_review p WHERE p.offender_id = o.id) AS plans,
                (SELECT COUNT(*) FROM offender_visit v WHERE v.offender_id = o.id) AS visits,
                (SELECT COUNT(*) FROM offender_notification n WHERE n.offender_id = o.id) AS notifications,
                (SELECT COUNT(*) FROM audit_log l WHERE l.record_type = 'offender' AND l.record_id = o.id
                   AND l.action <> 'read') AS writes,
                (SELECT COUNT(*) FROM audit_log l WHERE l.record_type = 'person' AND l.record_id = o.person_id
                   AND l.action = 'update' AND l.route = 'POST /api/offenders') AS person_writes
                FROM offender o`);
            const byMarker = new Map();
            for (const r of rows) {
                const what = `offender ${r.id}`;
                const offences = JSON.parse(r.offences);
                if (offences.length !== 1 || !sentOf.has(offences[0])) {
                    problem('corrupt', `${what} has convictions never sent: ${r.offences}`);
                    continue;
                }
                byMarker.set(offences[0], r);
                // Steps done, in order: risk, plan, visit, notification, visit.
                const k = r.risks + r.plans + r.visits + r.notifications;
                const want = [k >= 1 ? 1 : 0, k >= 2 ? 1 : 0, (k >= 3 ? 1 : 0) + (k >= 5 ? 1 : 0), k >= 4 ? 1 : 0];
                if (JSON.stringify([r.risks, r.plans, r.visits, r.notifications]) !== JSON.stringify(want))
                    problem('corrupt', `${what} rows ${JSON.stringify([r.risks, r.plans, r.visits, r.notifications])} are not the plan's first ${k} steps`);
                if (r.version !== 2 + k || r.writes !== 1 + k)
                    problem('corrupt', `${what} v${r.version}, ${r.writes} audited writes for ${k} steps`);
                if (r.person_writes !== 1)
                    problem('corrupt', `${what}: its person has ${r.person_writes} person updates from registering`);
                if (r.area !== 'Crash') problem('corrupt', `${what} area ${r.area}`);
            }
            for (const [marker, o] of ackedOf) {
                const r = byMarker.get(marker);
                if (!r) {
                    problem('lost', `acknowledged offender "${marker}" gone after trial ${trial}`);
                    continue;
                }
                const k = r.risks + r.plans + r.visits + r.notifications;
                if (k < o.steps) problem('lost', `offender ${r.id}: ${o.steps} steps acknowledged, ${k} found after trial ${trial}`);
                if (k > o.next) ofLanded++;
                o.next = k;
                o.steps = Math.min(o.steps, k);
                o.pending = null;
            }
            // A registration in flight at the kill that committed: tracked from now on.
            for (const [marker, r] of byMarker) {
                if (ackedOf.has(marker)) continue;
                ofLanded++;
                const k = r.risks + r.plans + r.visits + r.notifications;
                ackedOf.set(marker, { id: r.id, person: r.person_id, marker, steps: 0, next: k, pending: null });
            }
        }

        // ---- one commentary writer: append-only rows, each with its audit entry
        async function commentaryWriter(srv, trial, stop) {
            let n = 0;
            while (!stop.done) {
                const text = `commentary t${trial} n${n++}`;
                sentCommentary.add(text);
                let res;
                try {
                    res = await srv.api('POST', `/api/assurance/recommendations/${recId}/commentary`,
                        { body: { period: '2026-05', text } });
                } catch {
                    return; // the server was killed mid-request
                }
                count(res);
                if (res.status === 201) {
                    ackedCommentary.add(text);
                    acked++;
                } else {
                    problem('refused', `commentary: ${res.status} ${res.text.slice(0, 200)}`);
                }
            }
        }

        /** (i) every acknowledged commentary is there, nothing unsent is, each audited once. */
        function verifyCommentary(trial) {
            const rows = sqlite(db.dbPath, 'SELECT id, text FROM recommendation_commentary');
            const have = new Set(rows.map((r) => r.text));
            for (const text of ackedCommentary)
                if (!have.has(text)) problem('lost', `acknowledged commentary "${text}" missing after trial ${trial}`);
            for (const r of rows)
                if (!sentCommentary.has(r.text)) problem('corrupt', `commentary ${r.id} was never sent: ${r.text}`);
            if (have.size !== rows.length) problem('corrupt', 'a commentary saved twice');
            const audited = sqlite(db.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE record_type = " +
                "'recommendation_commentary' AND action = 'create'")[0].n;
            if (audited !== rows.length)
                problem('corrupt', `${rows.length} commentary rows but ${audited} audit entries after trial ${trial}`);
        }

        // ---- checks after a restart ----------------------------------------
        async function verify(srv, trial) {
            const people = dumpPeople(db.dbPath);
            const audit = personAudit(db.dbPath);
            const byMarker = new Map();
            // (b) + (c): every person row, acknowledged or not.
            for (const p of people.values()) {
                const s = sent.get(p.family_name);
                if (!s) {
                    problem('corrupt', `person ${p.id} has a family_name never sent: ${p.family_name}`);
                    continue;
                }
                if (byMarker.has(p.family_name))
                    problem('corrupt', `marker ${p.family_name} saved twice (ids ${byMarker.get(p.family_name)}, ${p.id})`);
                byMarker.set(p.family_name, p.id);
                try {
                    assertMatchesBody(p, s.body, `person ${p.id} (${p.family_name}) after trial ${trial}`);
                } catch (e) {
                    problem('corrupt', e.message.split('\n')[0] + ` ${JSON.stringify(p)}`);
                }
                const ref = refSearch.get(p.given_name);
                if (ref && JSON.stringify(p.search) !== JSON.stringify(ref))
                    problem('corrupt', `person ${p.id} search rows ${JSON.stringify(p.search)} != reference ${JSON.stringify(ref)}`);
                const a = audit.get(p.id) || { create: 0, update: 0 };
                if (a.create !== 1 || a.update !== p.version - 1)
                    problem('corrupt', `person ${p.id} v${p.version} has audit create=${a.create} update=${a.update}`);
                let r = records.get(p.id);
                if (!r) {
                    // An unacknowledged create that committed: allowed; track it from now on.
                    recovered++;
                    r = { id: p.id, marker: p.family_name, body: s.body, owner: s.writer, version: 1, ethnicity: null, pending: null, acked: false, touched: -1 };
                    records.set(p.id, r);
                } else if (r.marker !== p.family_name) {
                    problem('corrupt', `id ${p.id} was acknowledged as ${r.marker} but holds ${p.family_name}`);
                }
            }
            // (a): every acknowledged record, with its version and ethnicity.
            for (const r of records.values()) {
                const p = people.get(r.id);
                if (!p) {
                    problem('lost', `acknowledged create ${r.id} (${r.marker}) is missing after trial ${trial}`);
                    records.delete(r.id);
                    continue;
                }
                if (p.version === r.version && p.ethnicity === r.ethnicity) {
                    // as acknowledged
                } else if (r.pending && p.version === r.pending.version && p.ethnicity === r.pending.ethnicity) {
                    landedPatches++; // the PATCH in flight at the kill committed
                } else if (p.version < r.version) {
                    problem('lost', `person ${r.id}: acknowledged v${r.version} ethnicity ${r.ethnicity}, found v${p.version} ${p.ethnicity}`);
                } else {
                    problem('corrupt', `person ${r.id}: expected v${r.version} ${r.ethnicity}` +
                        `${r.pending ? ` or v${r.pending.version} ${r.pending.ethnicity}` : ''}, found v${p.version} ${p.ethnicity}`);
                }
                r.version = p.version;
                r.ethnicity = p.ethnicity;
                r.pending = null;
                r.inflight = false;
            }
            verifyIncidents(trial);
            verifyCommentary(trial);
            verifyMissing(trial);
            verifyReferrals(trial);
            verifyInvestigations(trial);
            verifyOnline(trial);
            verifyProtection(trial);
            verifyDisclosures(trial);
            verifyCustody(trial);
            verifyOffenders(trial);
            verifyAudits(trial);
            // (d)
            try {
                assertIntegrity(db.dbPath);
                assertAuditVerifies(db.dbPath);
            } catch (e) {
                problem('corrupt', `after trial ${trial}: ${e.message}`);
            }
            // Read back through the API what the previous trial wrote.
            const recent = [...records.values()].filter((r) => r.touched === trial - 1 || trial === 'final');
            await getAndCompare(srv, recent);
            const recentIncidents = [...incidents.values()].filter((i) => i.touched === trial - 1 || trial === 'final');
            await getIncidentsAndCompare(srv, recentIncidents);
        }

        // (e)–(h): incidents, their child rows, tasks and audit.
        function verifyIncidents(trial) {
            const incs = dumpIncidents(db.dbPath);
            const audit = incidentAudit(db.dbPath);
            const at = `after trial ${trial}`;
            for (const o of orphanIncidentTasks(db.dbPath))
                problem('corrupt', `task ${o.id} (${o.rule}, ${o.status}) names incident ${o.record_id}, which does not exist ${at}`);
            const byLoc = new Map();
            for (const inc of incs.values()) {
                if (inc.location.startsWith(AUDIT_INCIDENT_PREFIX)) continue; // inserted closed, for case audits
                const what = `incident ${inc.id} (${inc.location})`;
                const s = sentIncidents.get(inc.location);
                if (!s) {
                    problem('corrupt', `${what} has a location never sent`);
                    continue;
                }
                if (byLoc.has(inc.location))
                    problem('corrupt', `${what} saved twice (ids ${byLoc.get(inc.location)}, ${inc.id})`);
                byLoc.set(inc.location, inc.id);
                // (f) whole: the people as sent, the log agreeing with the other rows.
                if (JSON.stringify(inc.persons) !== JSON.stringify(s.persons))
                    problem('corrupt', `${what} persons ${JSON.stringify(inc.persons)}, sent ${JSON.stringify(s.persons)}`);
                const ours = inc.logs.filter((e) => e.startsWith('Crash-log-'));
                for (const e of ours)
                    if (!sentLogs.has(e) || !e.includes(`-i${inc.id}-`)) problem('corrupt', `${what} has a log entry never sent to it: ${e}`);
                const graded = inc.grades.filter((g) => g.event === 'graded');
                const n = (re) => inc.logs.filter((e) => re.test(e)).length;
                const logWant = {
                    created: [n(/^Incident INC-\d{4}-\d{6} created$/), 1],
                    linked: [n(/^Person \d+ linked as /), inc.persons.length],
                    thrive: [n(/^THRIVE assessment recorded/), inc.thrives],
                    graded: [n(/^Graded /), graded.length],
                    attended: [n(/^Attended at /), inc.attended_at ? 1 : 0],
                    voice: [n(/^Voice of the child recorded for person \d+$/), inc.voices.length],
                };
                for (const [k, [got, want]] of Object.entries(logWant))
                    if (got !== want) problem('corrupt', `${what}: ${got} '${k}' log entries, expected ${want} ${at}`);
                if (inc.reassessment_required && !n(/^Re-assessment required: /))
                    problem('corrupt', `${what} requires re-assessment without its log entry`);
                if (!!inc.grade !== graded.length > 0 || graded.length > 1 || graded.some((g) => g.grade !== 'priority'))
                    problem('corrupt', `${what} grade ${inc.grade} with grade history ${JSON.stringify(inc.grades)}`);
                if (inc.grade) {
                    const below = inc.thrives > 0;
                    const ok = below
                        ? inc.grade === 'emergency' && inc.grade_requested === 'priority' && inc.below_risk_grade === 1 &&
                          inc.risk_grade === 'emergency' && inc.grade_authorised_by === null
                        : inc.grade === 'priority' && inc.grade_requested === null && inc.below_risk_grade === 0;
                    if (!ok) problem('corrupt', `${what} graded with ${inc.thrives} THRIVE: grade ${inc.grade}, requested ` +
                        `${inc.grade_requested}, below ${inc.below_risk_grade}, risk ${inc.risk_grade}`);
                }
                if ((inc.status === 'attended') !== !!inc.attended_at || inc.status === 'closed')
                    problem('corrupt', `${what} status ${inc.status} with attended_at ${inc.attended_at}`);
                for (const v of inc.voices)
                    if (v.person_id !== s.child || !sentVoices.has(v.words) || !v.words.includes(`-i${inc.id}-`) ||
                        v.seen !== 1 || v.spoken_to !== 1)
                        problem('corrupt', `${what} has a voice record never sent: ${JSON.stringify(v)}`);
                // (g) tasks consistent with the record.
                taskChecks++;
                const want = expectedIncidentTasks(inc);
                const open = inc.tasks.filter((t) => t.status === 'open');
                const rules = open.map((t) => t.rule).sort();
                if (new Set(rules).size !== rules.length)
                    problem('corrupt', `${what} has more than one open task for a rule: ${rules.join(', ')} ${at}`);
                if (JSON.stringify([...new Set(rules)]) !== JSON.stringify([...want.keys()].sort()))
                    problem('corrupt', `${what} open tasks [${rules.join(', ')}], its record requires ` +
                        `[${[...want.keys()].sort().join(', ')}] ${at}; ${JSON.stringify({ ...inc, logs: undefined })}`);
                for (const t of open) {
                    openTaskRules.set(t.rule, (openTaskRules.get(t.rule) || 0) + 1);
                    const w = want.get(t.rule);
                    if (w && (Date.parse(t.due_at) !== w.due_at || t.person_id !== w.person_id))
                        problem('corrupt', `${what} task ${t.rule} due ${t.due_at} for person ${t.person_id}, ` +
                            `expected ${iso(w.due_at)} for ${w.person_id}`);
                }
                if (inc.tasks.some((t) => t.status !== 'open' && t.status !== 'done'))
                    problem('corrupt', `${what} has a task neither open nor done: ${JSON.stringify(inc.tasks)}`);
                // (h) one audit entry per committed write.
                const a = audit.get(inc.id) || {};
                const auditWant = {
                    create: 1, thrive: inc.thrives, grade: graded.length, log: ours.length,
                    attend: inc.attended_at ? 1 : 0, voice_of_child: inc.voices.length,
                };
                for (const k of Object.keys(auditWant)) if (!auditWant[k]) delete auditWant[k];
                const sorted = (o) => JSON.stringify(Object.fromEntries(Object.entries(o).sort()));
                if (sorted(a) !== sorted(auditWant))
                    problem('corrupt', `${what} audit ${sorted(a)}, its writes need ${sorted(auditWant)} ${at}`);
                if (!incidents.has(inc.id)) {
                    recoveredIncidents++; // an unacknowledged create that committed: allowed, tracked from now on
                    incidents.set(inc.id, newIncident(inc.id, inc.location, s, false, -1));
                } else if (incidents.get(inc.id).loc !== inc.location) {
                    problem('corrupt', `incident ${inc.id} was acknowledged as ${incidents.get(inc.id).loc} but holds ${inc.location}`);
                }
            }
            // (e) every acknowledged write, or the one in flight at the kill.
            for (const i of incidents.values()) {
                const inc = incs.get(i.id);
                const what = `incident ${i.id} (${i.loc})`;
                if (!inc) {
                    problem('lost', `acknowledged incident ${what} is missing ${at}`);
                    incidents.delete(i.id);
                    continue;
                }
                const p = i.pending;
                const ours = inc.logs.filter((e) => e.startsWith('Crash-log-'));
                const voices = new Map(inc.voices.map((v) => [v.person_id, v.words]));
                const got = {
                    thrive: inc.thrives, grade: inc.grades.filter((g) => g.event === 'graded').length,
                    log: JSON.stringify(ours), attend: !!inc.attended_at, voice: JSON.stringify([...voices]),
                };
                const has = {
                    thrive: i.thrives, grade: i.graded, log: JSON.stringify(i.logs), attend: i.attended,
                    voice: JSON.stringify([...i.voices]),
                };
                let landed = null;
                if (p) {
                    const after = { ...i, voices: new Map(i.voices), logs: [...i.logs] };
                    applyStep(after, p);
                    const next = {
                        thrive: after.thrives, grade: after.graded, log: JSON.stringify(after.logs),
                        attend: after.attended, voice: JSON.stringify([...after.voices]),
                    };
                    if (got[p.kind] === next[p.kind] && got[p.kind] !== has[p.kind]) landed = p;
                }
                for (const k of Object.keys(got)) {
                    if (landed && k === landed.kind) continue;
                    if (got[k] !== has[k])
                        problem(got[k] < has[k] || String(got[k]).length < String(has[k]).length ? 'lost' : 'corrupt',
                            `${what}: acknowledged ${k} ${has[k]}${p?.kind === k ? ` (or the one in flight)` : ''}, found ${got[k]} ${at}`);
                }
                if (landed) {
                    landedIncidentWrites++;
                    applyStep(i, landed);
                }
                // Adopt the database's state so one problem is reported once.
                i.thrives = got.thrive;
                i.graded = got.grade;
                i.logs = ours;
                i.attended = got.attend;
                i.voices = voices;
                i.pending = null;
                i.inflight = false;
            }
        }

        async function getIncidentsAndCompare(srv, list) {
            const queue = [...list];
            await Promise.all(Array.from({ length: 4 }, async () => {
                for (let i; (i = queue.shift());) {
                    const g = await srv.api('GET', `/api/incidents/${i.id}`);
                    if (g.status !== 200) {
                        problem('lost', `GET /api/incidents/${i.id} answered ${g.status} ${g.text}`);
                        continue;
                    }
                    try {
                        const inc = g.json;
                        assert.equal(inc.location, i.loc, `GET incident ${i.id}: location`);
                        assert.deepEqual(inc.persons.map((x) => [x.person_id, x.role, x.is_child]),
                            i.persons.map((x) => [x.person_id, x.role, x.is_child === 1]), `GET incident ${i.id}: persons`);
                        assert.deepEqual(inc.log.map((l) => l.entry).filter((e) => e.startsWith('Crash-log-')), i.logs,
                            `GET incident ${i.id}: log`);
                        assert.equal(!!inc.grade, i.graded > 0, `GET incident ${i.id}: grade ${inc.grade}`);
                        assert.equal(!!inc.attended_at, i.attended, `GET incident ${i.id}: attended_at`);
                        const child = inc.children.find((c) => c.person_id === i.child);
                        assert.equal(child?.voice?.words ?? null, i.voices.get(i.child) ?? null, `GET incident ${i.id}: voice`);
                    } catch (e) {
                        problem('corrupt', e.message.split('\n')[0]);
                    }
                }
            }));
        }

        async function getAndCompare(srv, list) {
            const queue = [...list];
            await Promise.all(Array.from({ length: 4 }, async () => {
                for (let r; (r = queue.shift());) {
                    const g = await srv.api('GET', `/api/people/${r.id}`);
                    if (g.status !== 200) {
                        problem('lost', `GET /api/people/${r.id} answered ${g.status} ${g.text}`);
                        continue;
                    }
                    try {
                        assertMatchesBody(g.json, r.body, `GET ${r.id}`);
                        assert.equal(g.json.version, r.version, `GET ${r.id}: version`);
                        assert.equal(g.json.ethnicity, r.ethnicity, `GET ${r.id}: ethnicity`);
                    } catch (e) {
                        problem('corrupt', e.message.split('\n')[0]);
                    }
                }
            }));
        }

        const t0 = Date.now();
        try {
            // Trial 0: one clean reference record per writer's given name, whose
            // search rows every later record of the same shape must match.
            let srv = await serveDb(db.dbPath, db.token);
            for (let w = 0; w < WRITERS; w++) {
                const marker = `Crash-t0-w${w}-n0`;
                const body = personBody(marker, GIVEN[w], w);
                sent.set(marker, { body, writer: w });
                const res = await srv.api('POST', '/api/people', { body });
                assert.equal(res.status, 201, res.text);
                const id = idFromLocation(res.headers);
                records.set(id, { id, marker, body, owner: w, version: 1, ethnicity: null, pending: null, acked: true, touched: 0 });
                acked++;
                ackedCreates++;
            }
            for (const p of dumpPeople(db.dbPath).values()) refSearch.set(p.given_name, p.search);
            assert.equal(refSearch.size, WRITERS);
            // Closed incidents from last month, sampled for the grading writer.
            insertClosedIncidents(db.dbPath, AUDITS, [...records.keys()][0]);
            const sample = await srv.api('POST', '/api/case-audits/samples',
                { body: { record_type: 'incident', month: '2026-05', method: 'random', count: AUDITS } });
            assert.equal(sample.status, 201, sample.text);
            for (const a of sample.json.audits) audits.set(a.id, { id: a.id, version: 1, pending: null, inflight: false, touched: 0 });
            assert.equal(audits.size, AUDITS);
            await srv.kill();
            chToken = makeUser(db.dbPath, 'crash-ch', ['call_handler']);
            cli(['seed', '--db', db.dbPath, '--people', '0']); // the inspection, for commentary
            recId = sqlite(db.dbPath, 'SELECT id FROM recommendation WHERE number = 1')[0].id;
            sqlite(db.dbPath, "INSERT INTO agency (name, kind, created_at, updated_at) VALUES ('Crash Children''s Services'," +
                " 'childrens_social_care', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
            agencyId = sqlite(db.dbPath, 'SELECT id FROM agency')[0].id;
            makeUser(db.dbPath, 'crash-dof', ['supervisor']);
            ppOfficer = sqlite(db.dbPath, "SELECT id FROM app_user WHERE username = 'crash-dof'")[0].id;
            ofToken = makeUser(db.dbPath, 'crash-om', ['offender_manager'], { team: 'Crash MOSOVO', area: 'Crash' });
            ofManager = sqlite(db.dbPath, "SELECT id FROM app_user WHERE username = 'crash-om'")[0].id;

            for (let trial = 1; trial <= TRIALS; trial++) {
                srv = await serveDb(db.dbPath, db.token);
                await verify(srv, trial);
                const stop = { done: false };
                const loops = Array.from({ length: WRITERS }, (_, w) => writer(srv, trial, w, stop));
                loops.push(incidentWriter(srv, trial, stop));
                loops.push(commentaryWriter(srv, trial, stop));
                loops.push(missingWriter(srv, trial, stop));
                loops.push(referralWriter(srv, trial, stop));
                loops.push(investigationWriter(srv, trial, stop));
                loops.push(onlineWriter(srv, trial, stop));
                loops.push(protectionWriter(srv, trial, stop));
                loops.push(disclosureWriter(srv, trial, stop));
                loops.push(custodyWriter(srv, trial, stop));
                loops.push(offenderWriter(srv, trial, stop));
                loops.push(gradingWriter(srv, trial, stop));
                await sleep(30 + Math.floor(rand() * 221));
                await srv.kill();
                stop.done = true;
                await Promise.all(loops);
            }

            // Final: restart, check everything, read every record back, stop cleanly.
            srv = await serveDb(db.dbPath, db.token);
            await verify(srv, 'final');
            await srv.stop();
            try {
                assertIntegrity(db.dbPath);
                assertAuditVerifies(db.dbPath);
            } catch (e) {
                problem('corrupt', `after the clean stop: ${e.message}`);
            }
        } finally {
            const secs = ((Date.now() - t0) / 1000).toFixed(1);
            const summary = `crash: ${TRIALS} trials, ${acked} acknowledged writes ` +
                `(${ackedCreates} creates, ${ackedPatches} patches, ${ackedIncidentCreates} incidents, ` +
                `${ackedIncidentWrites} incident actions, ${ackedGradings} case audit gradings, ${ackedCommentary.size} commentaries, ` +
                `${ackedMissing.size} missing reports, ${ackedMissingEvents.size} missing entries, ${ackedReferrals.size} referrals, ${ackedInvestigations.size} investigations, ${ackedOnline.size} online referrals, ${ackedPP.size} police protection cases ` +
                `(with ${[...ackedPP.values()].reduce((a, c) => a + c.steps, 0)} steps), ${ackedDisclosures.size} disclosure applications, ${ackedCustody.size} custody bookings, ${ackedOf.size} offenders registered ` +
                `(with ${[...ackedOf.values()].reduce((a, c) => a + c.steps, 0)} steps)), ${lost} lost, ` +
                `${corrupt} corrupt, ${refusedWrites} refused; ${landedGradings} in-flight gradings, ${ppLanded} police protection steps and ${ofLanded} offender writes found committed; ` +
                `${recovered} unacknowledged creates, ${landedPatches} in-flight patches, ${recoveredIncidents} ` +
                `unacknowledged incidents and ${landedIncidentWrites} in-flight incident actions found committed (allowed); ` +
                `tasks ${corrupt ? 'checked' : 'consistent'} in ${taskChecks} incident checks ` +
                `(open seen: ${JSON.stringify(Object.fromEntries([...openTaskRules].map(([k, v]) => [k.replace('incident.', ''), v])))}); ` +
                `${secs} s; responses ${JSON.stringify(Object.fromEntries(responses))}`;
            console.log(summary);
            t.diagnostic(summary);
            for (const p of problems) t.diagnostic(p);
            if (!problems.length) db.cleanup();
            else t.diagnostic(`database kept for inspection: ${db.dbPath}`);
        }
        assert.deepEqual(problems, [], `${lost} lost, ${corrupt} corrupt, ${refusedWrites} refused`);
        assert.ok(acked > TRIALS, `too few acknowledged writes (${acked}) to mean anything`);
    });
