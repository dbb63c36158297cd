-- Contacts per local weekday (1 = Monday ... 7 = Sunday) and hour of the day (0-23) in ctrLake:reportingTimeZone: when the contact center is busy.
SELECT
  day_of_week(local_start) AS weekday,
  hour(local_start) AS hour_of_day,
  count(*) AS contacts
FROM (
  SELECT at_timezone(initiation_timestamp, '{{reporting_time_zone}}') AS local_start
  FROM ctr_latest
  WHERE initiation_timestamp IS NOT NULL
    -- {{AND in local days}}
) AS started
GROUP BY day_of_week(local_start), hour(local_start)
ORDER BY weekday, hour_of_day
