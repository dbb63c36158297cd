-- Contacts that waited in a queue, per local day (ctrLake:reportingTimeZone), and the share of them abandoned before reaching an agent, in percent.
SELECT
  day,
  count(*) AS queued_contacts,
  count_if(abandoned) AS abandoned_contacts,
  round(100 * cast(count_if(abandoned) AS double) / count(*), 1) AS abandonment_rate_percent
FROM (
  SELECT
    cast(at_timezone(initiation_timestamp, '{{reporting_time_zone}}') AS date) AS day,
    agent_connected_timestamp IS NULL AS abandoned
  FROM ctr_latest
  WHERE queue_enqueue_timestamp IS NOT NULL
    AND initiation_timestamp IS NOT NULL
    -- {{AND in local days}}
) AS queued
GROUP BY day
ORDER BY day
