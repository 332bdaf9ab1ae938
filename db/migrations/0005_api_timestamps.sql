-- Timestamps as the API prints them (JavaScript's toISOString: UTC, milliseconds, "Z"), for
-- queries that build their JSON answer in the database.
CREATE OR REPLACE FUNCTION api_ts(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION api_ts(timestamptz) TO app_user;
