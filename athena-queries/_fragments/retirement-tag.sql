-- Fragment: the value one of the retirement path's tags (crypto-monitoring:<tag>, the keys in
--   lambda/retirement/tags.ts) is given in a TagResource request (request_data), NULL when the
--   request does not set it. CloudTrail writes KMS tags as tags[].tagKey and tags[].tagValue and
--   Secrets Manager tags as tags[].key and tags[].value (as lib/event-patterns.ts reads them for the
--   exemption alert). Neither engine's JSON path can search an array by a field, so the tag's own
--   object is cut out of the request text by its key, in whatever order and spacing its fields
--   come, and its value read from it. Tag values the path writes never hold braces or quotes
--   (tagValue() keeps letters, digits, spaces and _ . : / = + - @).
-- Parameters: tag: the tag key after "crypto-monitoring:", e.g. quarantine-approved-by
-- Columns: one value, the tag value; it reads request_data
coalesce(
  json_extract_scalar(regexp_extract(request_data, '[{][^{}]*"tagKey"\s*:\s*"crypto-monitoring:{{param:tag}}"[^{}]*[}]', 0), '$.tagValue'),
  json_extract_scalar(regexp_extract(request_data, '[{][^{}]*"key"\s*:\s*"crypto-monitoring:{{param:tag}}"[^{}]*[}]', 0), '$.value')
)
