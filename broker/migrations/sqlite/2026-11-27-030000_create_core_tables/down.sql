-- Reverses up.sql: drops the core tables, children before parents.
DROP TABLE publications;
DROP TABLE contents;
DROP TABLE tags;
DROP TABLE branch_versions;
DROP TABLE branches;
DROP TABLE versions;
DROP TABLE pacticipants;
