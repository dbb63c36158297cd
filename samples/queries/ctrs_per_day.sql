-- Stored CTR rows (every version of every contact) per day and channel: the volume the lake holds.
SELECT
  cast(initiation_timestamp AS date) AS day,
  channel,
  count(*) AS ctrs
FROM ctr
GROUP BY cast(initiation_timestamp AS date), channel
ORDER BY day, channel
