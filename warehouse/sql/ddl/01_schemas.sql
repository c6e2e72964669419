-- Schemas: core (dimensions, facts), marts (indicators), meta (runs, files, validations, rejects).
-- DuckDB cannot comment on schemas; every table and column carries a COMMENT instead.
CREATE SCHEMA core;
CREATE SCHEMA marts;
CREATE SCHEMA meta;
