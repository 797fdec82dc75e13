-- Fragment: the CTE failing: of the CTE evaluations (rows of finding-columns), the newest row of
--   each finding, kept when it is FAILED and Security Hub has not archived the finding. A resource
--   fixed since is therefore not listed, however often it failed earlier in the window.
-- Columns: the columns of evaluations
failing AS (
  SELECT * FROM evaluations
  WHERE newest = 1
    AND compliance_status = 'FAILED'
    AND coalesce(record_state, 'ACTIVE') <> 'ARCHIVED'
)
