-- Fragment: the CTE failing: of the CTE evaluations (rows of finding-columns), the newest row of
--   each finding, kept when it is FAILED and Security Hub has not archived the finding, with the
--   time the failure was first reported. A resource fixed since is therefore not listed, however
--   often it failed before.
--   first_observed is the oldest row of the run of FAILED rows the finding ends with: AWS Config
--   sends Security Hub a finding when a rule's result for a resource changes (its EventBridge
--   ComplianceChangeNotification: "the compliance type of a resource that AWS Config evaluates has
--   changed"; the Security Hub Config integration turns those into findings whose Description
--   reads "created for a resource compliance change"), so that row is the change to
--   NON_COMPLIANT. When the run reaches back to the finding's oldest row in the window, the
--   failure may be older than the window; a FirstObservedAt (Security Hub's controls set one)
--   earlier than that row is taken instead. CreatedAt is not used: Security Hub keeps a finding's
--   CreatedAt from its first import (the integration's typical finding has CreatedAt 04-15 and
--   UpdatedAt 04-19), and a resource first evaluated COMPLIANT would seem to fail since then.
--   Why evaluations reads the state window and not lookbackDays: while a result stays the same
--   AWS Config sends nothing, so a resource NON_COMPLIANT for longer than lookbackDays has no row
--   in that window and would drop out of every "now" question. Security Hub deletes such a finding
--   90 days after its UpdatedAt ("Creating and updating findings in Security Hub CSPM"); Security
--   Lake keeps its rows for the lake's own retention. A failure older than the state window is
--   not listed.
-- Columns: the columns of evaluations, then first_observed
failing AS (
  SELECT e.*,
    CASE WHEN s.oldest_in_run = 1 AND e.first_seen < s.failing_since THEN e.first_seen ELSE s.failing_since END AS first_observed
  FROM evaluations e
  JOIN (
    SELECT finding_uid, min(evaluated_at) AS failing_since, min(oldest) AS oldest_in_run
    FROM evaluations
    WHERE passes_since = 0
    GROUP BY finding_uid
  ) s ON s.finding_uid = e.finding_uid
  WHERE e.newest = 1
    AND e.compliance_status = 'FAILED'
    AND coalesce(e.record_state, 'ACTIVE') <> 'ARCHIVED'
)
