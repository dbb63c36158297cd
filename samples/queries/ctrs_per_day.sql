-- Stored CTR rows (every version of every contact) per local day (ctrLake:reportingTimeZone) and channel: the volume the lake holds.
SELECT
  day,
  channel,
  count(*) AS ctrs
FROM (
  SELECT
    cast(at_timezone(initiation_timestamp, '{{reporting_time_zone}}') AS date) AS day,
    channel
  FROM ctr
  WHERE initiation_timestamp IS NOT NULL
    -- {{AND in local days}}
) AS stored
GROUP BY day, channel
ORDER BY day, channel
