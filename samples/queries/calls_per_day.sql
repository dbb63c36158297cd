-- Calls per local day (ctrLake:reportingTimeZone) and channel. A call spans several CTRs through transfers: it is counted once, on the local day and with the channel of its first contact.
WITH contacts AS (
  SELECT
    cast(at_timezone(initiation_timestamp, '{{reporting_time_zone}}') AS date) AS day,
    channel,
    row_number() OVER (
      PARTITION BY coalesce(initial_contact_id, contact_id)
      ORDER BY initiation_timestamp, contact_id
    ) AS contact_rank
  FROM ctr_latest
  WHERE initiation_timestamp IS NOT NULL
    -- {{AND in local days from the day before}}
)
SELECT
  day,
  channel,
  count(*) AS calls
FROM contacts
WHERE contact_rank = 1
  -- {{AND day in local days}}
GROUP BY day, channel
ORDER BY day, channel
