-- Fragment: the newest snapshot of the inventory, one row per asset. Each rule's pass writes its
--   own asset types for its account and Region, every 12 to 24 hours, so the newest snapshot is,
--   for each account, Region, rule and asset type, the last day with records among the last 2
--   days (a day's pass that failed leaves the day before). Within that day an asset appears once,
--   its newest copy: a pass that continued in a new invocation may write an asset twice, and a
--   12-hour rule writes twice a day. An account whose newest records are older than 2 days is left
--   out (inventory/snapshots lists it as stale). The table is read once. Two CTEs: recent (the
--   readable records of the window, with their snapshot's day), assets (what queries read).
-- Columns: assets: every column of the table, object_path, snapshot_dt, newest
recent AS (
  SELECT r.*, "$path" AS object_path,
    max(dt) OVER (PARTITION BY accountId, region, collectedBy, assetType) AS snapshot_dt
  FROM {{inventoryDatabase}}.{{inventoryTable}} r
  WHERE dt >= CAST(CAST(now() - INTERVAL '2' DAY AS date) AS varchar)
    AND {{fragment:readable-record}}
),
assets AS (
  SELECT * FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.arn ORDER BY r.collectedAt DESC, r.object_path DESC) AS newest
    FROM recent r
    WHERE r.dt = r.snapshot_dt
  ) c
  WHERE newest = 1
)
