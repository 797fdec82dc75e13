-- Question: For each account, Region, rule and asset type, which is the newest day of the
--   inventory in the last {{lookbackDays}} days, when its pass last wrote, how many assets it holds
--   and how many with facts that could not be read, and is it current (within 2 days, so the other
--   inventory queries read it) or stale (left out of them)?
-- Columns: account_id, region, asset_type, collected_by, newest_day, last_collected, assets, assets_with_gaps, freshness
-- Source: inventory (the app's own table of the records the rules write, lambda/inventory/record.ts)
--
-- An account whose rules stopped writing (removed from the StackSet, a failing rule, a writer
--   without the bucket's permission) is stale here rather than silently missing elsewhere. An
--   asset written twice on its newest day counts once, by its newest copy, as in the other queries.
WITH readable AS (
  SELECT r.*, "$path" AS object_path,
    max(dt) OVER (PARTITION BY accountId, region, collectedBy, assetType) AS snapshot_dt
  FROM {{inventoryDatabase}}.{{inventoryTable}} r
  WHERE dt >= CAST(CAST(now() - INTERVAL '{{lookbackDays}}' DAY AS date) AS varchar)
    AND {{fragment:readable-record}}
),
newest AS (
  SELECT * FROM (
    SELECT r.*, row_number() OVER (PARTITION BY r.arn, r.collectedBy ORDER BY r.collectedAt DESC, r.object_path DESC) AS newest
    FROM readable r
    WHERE r.dt = r.snapshot_dt
  ) c
  WHERE newest = 1
)
SELECT accountId AS account_id, region, assetType AS asset_type, collectedBy AS collected_by,
  CAST(CAST(dt AS date) AS timestamp) AS newest_day,
  CAST(max(from_iso8601_timestamp(collectedAt)) AS timestamp) AS last_collected,
  count(*) AS assets,
  count(*) FILTER (WHERE cardinality(gaps) > 0) AS assets_with_gaps,
  CASE WHEN dt >= CAST(CAST(now() - INTERVAL '2' DAY AS date) AS varchar) THEN 'current' ELSE 'stale' END AS freshness
FROM newest
GROUP BY accountId, region, assetType, collectedBy, dt
-- Stale first: they need someone's attention.
ORDER BY freshness DESC, account_id, region, asset_type, collected_by
