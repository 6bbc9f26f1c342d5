-- Generations by kind and status for /metrics, exact whichever process wrote them. Each
-- statement that inserts, deletes or moves generations appends its net change here (a
-- statement trigger: no row is updated in place, so concurrent writers never contend);
-- a scrape sums the rows and now and then folds them into one row per kind and status.
CREATE TABLE generation_counts (
    kind   text   NOT NULL,
    status text   NOT NULL,
    n      bigint NOT NULL
);
INSERT INTO generation_counts SELECT kind, status, count(*) FROM generations GROUP BY kind, status;

CREATE FUNCTION generation_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO generation_counts SELECT kind, status, count(*) FROM added GROUP BY kind, status;
    RETURN NULL;
END $$;

CREATE FUNCTION generation_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO generation_counts SELECT kind, status, -count(*) FROM removed GROUP BY kind, status;
    RETURN NULL;
END $$;

CREATE FUNCTION generation_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO generation_counts
    SELECT kind, status, sum(d) FROM (
        SELECT kind, status, -1 AS d FROM removed
        UNION ALL
        SELECT kind, status, 1 AS d FROM added
    ) AS moves
    GROUP BY kind, status HAVING sum(d) <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER generations_added AFTER INSERT ON generations
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION generation_counts_added();
CREATE TRIGGER generations_removed AFTER DELETE ON generations
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION generation_counts_removed();
CREATE TRIGGER generations_moved AFTER UPDATE ON generations
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION generation_counts_moved();
