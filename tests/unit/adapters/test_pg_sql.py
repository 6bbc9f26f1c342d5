"""The engine-neutral SQL's `?` placeholders become psycopg's `%s`, and nothing else moves."""

from __future__ import annotations

from adapters.postgres.database import nul_free, pg_sql


def test_placeholders_become_psycopg_ones_and_percent_signs_are_escaped() -> None:
    sql = "SELECT id FROM t WHERE a = ? AND b LIKE '50%' AND c IN (?, ?)"
    assert pg_sql(sql) == b"SELECT id FROM t WHERE a = %s AND b LIKE '50%%' AND c IN (%s, %s)"


def test_a_question_mark_inside_a_literal_or_a_quoted_name_stays() -> None:
    sql = """SELECT '?', "odd?name", 'it''s ?' FROM t WHERE x = ?"""
    assert pg_sql(sql) == b"""SELECT '?', "odd?name", 'it''s ?' FROM t WHERE x = %s"""


def test_nul_characters_become_replacement_characters_and_other_values_stay() -> None:
    params = ["a\x00b", 3, None, "plain"]
    assert nul_free(params) == ["a\ufffdb", 3, None, "plain"]
    clean = ["x", 1]
    assert nul_free(clean) is clean  # nothing copied in the common case
