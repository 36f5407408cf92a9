-- taxshare 0.1.0 -> 0.2.0.  Every schema change after the 0.1.0 release goes
-- here as well as into control/install/ (which builds a fresh 0.2.0): the
-- upgrade test (test/upgrade.sh) fails when the two disagree.  Each change
-- names the issue it comes from.
\echo Use "ALTER EXTENSION taxshare UPDATE TO '0.2.0'" to load this file. \quit
