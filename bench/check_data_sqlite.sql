-- Consistency checks of a generated SQLite benchmark database:
--   sqlite3 bench/out/mesatic_1m.db < bench/check_data_sqlite.sql
-- Every "bad …" count must be 0.
.mode list
SELECT 'states with tickets', count(DISTINCT state_id) FROM tickets;
SELECT 'systems with tickets', count(DISTINCT system_id) FROM tickets;
SELECT 'requester types', group_concat(rt) FROM (SELECT DISTINCT requester_type rt FROM tickets);
SELECT 'process', coalesce(p.key, '(ordinary activity)'), count(*)
  FROM tickets t LEFT JOIN electoral_processes p ON p.id = t.process_id GROUP BY 2;
SELECT 'status', status, count(*) FROM tickets GROUP BY status;
SELECT 'bad: process without an election in the state', count(*) FROM tickets t
  WHERE process_id IS NOT NULL AND NOT EXISTS
    (SELECT 1 FROM elections e WHERE e.process_id = t.process_id AND e.state_id = t.state_id);
SELECT 'bad: organisation of another kind or state', count(*) FROM tickets t
  JOIN organizations o ON o.id = t.organization_id
  WHERE o.kind <> t.requester_type OR coalesce(o.state_id, -1) <> coalesce(t.state_id, -1);
SELECT 'folios', substr(folio, 5, 4), count(*), min(folio), max(folio) FROM tickets GROUP BY 2;
SELECT 'folio_counters', year, last FROM folio_counters;
SELECT 'received range (UTC)', min(received_at), max(received_at) FROM tickets;
SELECT 'comments, internal', count(*), sum(is_internal) FROM comments;
SELECT 'audit', field, count(*) FROM audit_events GROUP BY field;
SELECT 'bad: created before received', count(*) FROM tickets WHERE created_at < received_at;
SELECT 'bad: closed without closed_at', count(*) FROM tickets WHERE status = 'closed' AND closed_at IS NULL;
SELECT 'bad: finished before received', count(*) FROM tickets
  WHERE resolved_at < received_at OR closed_at < received_at OR cancelled_at < received_at;
SELECT 'matches for computo', count(*) FROM tickets_fts WHERE tickets_fts MATCH '"computo"*';
