-- Fragment: the conditions that make a row of the inventory table a record to read, for a WHERE
--   clause after its dt window. The row parsed (a malformed line is a row of NULLs), names its
--   asset, and was written by its own account: its object's name starts with that account
--   (`inventory/dt=<day>/<account>-…`, inventoryObjectKey), the only names the bucket policy lets
--   that account write. A record claiming another account is not read, so no member account can
--   add to or overwrite another's inventory.
-- Columns: none (conditions on accountId, arn, dt and "$path")
accountId IS NOT NULL
AND arn IS NOT NULL
AND strpos("$path", '/dt=' || dt || '/' || accountId || '-') > 0
