package io.incidentsdk.jdbc.internal.sql;

import java.util.Set;

/**
 * The words of database and driver error messages (PostgreSQL, MariaDB/MySQL, H2, Oracle, SQL Server, SQLite,
 * HSQLDB, Derby and their JDBC drivers): the only unquoted words a redacted message keeps, besides the
 * identifiers of the failed statement. A word not listed becomes {@code ?}, so a template word missing here
 * costs readability, never privacy. Lower case; compared with the message word lower-cased.
 */
final class MessageVocabulary {

    private static final Set<String> WORDS = Set.of(
            "a", "abandoned", "abort", "aborted", "about", "above", "accepting", "access", "accessed", "according",
            "account", "across", "active", "actual", "actually", "add", "added", "adding", "address", "addresses",
            "admin", "administrator", "affected", "after", "again", "against", "aggregate", "alias", "alive",
            "all", "allocate", "allow", "allowed", "already", "also", "alter", "altered", "ambiguous", "among",
            "amount", "an", "analyze", "ancestor", "and", "another", "ansi_quotes", "any", "appear", "appears",
            "append", "application", "applied", "apply", "approximately", "are", "arg", "args", "argument",
            "arguments", "arithmetic", "array", "arrays", "as", "ascii", "assertion", "assign", "assignment",
            "associated", "at", "attempt", "attempted", "attempts", "attribute", "authentication", "authorized",
            "auto", "auto_increment", "autocommit", "available", "avoid", "back", "backend", "bad", "base",
            "batch", "be", "because", "been", "before", "begin", "being", "belongs", "between", "bigint",
            "bigserial", "binary", "bind", "binding", "bit", "blob", "block", "blocked", "body", "bool", "boolean",
            "borrowed", "both", "bound", "boundary", "bounds", "broken", "buffer", "build", "busy", "but", "by",
            "byte", "bytea", "bytes", "cache", "call", "called", "calling", "can", "can't", "cancel", "canceled",
            "canceling", "cancelled", "cancelling", "cannot", "cascade", "case", "cast", "catalog", "cause",
            "caused", "certificate", "change", "changed", "changes", "char", "character", "characters", "check",
            "checked", "checkpoint", "checks", "chosen", "class", "clause", "client", "clob", "close", "closed",
            "closed_", "closing", "cockroachdb", "code", "coerce", "collation", "collision", "column", "columns",
            "columns_", "combine", "comma", "command", "commands", "commit", "committed", "compare", "comparing",
            "comparison", "compatible", "compressed", "concurrent", "concurrently", "condition", "configuration",
            "configured", "conflict", "conflicts", "conn", "connect", "connecting", "connection", "connections",
            "consider", "constant", "constrained", "constraint", "constraints", "contain", "contained",
            "containing", "contains", "content", "context", "conversion", "convert", "converted", "converting",
            "copy", "correct", "corresponds", "corrupt", "could", "couldn't", "count", "crashed", "create",
            "created", "creating", "current", "cursor", "cyclic", "daemon", "dangling", "data", "database",
            "databases", "datatype", "date", "datetime", "datetime2", "day", "deadline", "deadlock", "deadlocked",
            "decimal", "declare", "decoding", "default", "deferrable", "deferred", "defined", "definer",
            "definition", "delete", "deleted", "delimiter", "denied", "dependencies", "dependency", "depending",
            "depends", "depth", "derby", "derived", "describe", "descriptor", "destination", "detail", "details",
            "detected", "did", "different", "digits", "dimension", "dimensions", "disable", "disabled",
            "disallowed", "disconnect", "disk", "distinct", "divide", "divided", "division", "do", "does",
            "doesn't", "domain", "done", "double", "down", "driver", "drop", "dropped", "due", "dup", "duplicate",
            "duplicated", "during", "each", "effect", "either", "element", "elements", "else", "empty", "enable",
            "enabled", "encoding", "encountered", "end", "ended", "ends", "enough", "entry", "enum", "eof",
            "equal", "equals", "error", "errors", "escape", "establish", "established", "evaluate", "exactly",
            "exceed", "exceeded", "exceeds", "except", "exception", "excluded", "exclusion", "exclusive",
            "exclusivelock", "execute", "executed", "execution", "exhausted", "exist", "existing", "exists",
            "expected", "expecting", "expired", "explicit", "expression", "expressions", "extension", "extensions",
            "external", "extra", "fail", "failed", "failing", "fails", "failure", "false", "fatal", "feature",
            "fetch", "field", "fields", "file", "final", "finished", "first", "float", "float4", "float8",
            "follow", "following", "for", "forbidden", "force", "foreign", "format", "found", "fraction",
            "fractional", "free", "freeze", "from", "full", "function", "functions", "generated", "generation",
            "get", "getnextexception", "given", "global", "grant", "granted", "greater", "group", "h2", "had",
            "handle", "handshake", "happened", "has", "hashed", "have", "having", "hint", "hold", "holds", "host",
            "hostname", "hour", "hsqldb", "id", "identification", "identifier", "identifiers", "identity", "idle",
            "if", "ignored", "illegal", "illegally", "immediate", "immutable", "implicit", "impossible", "in",
            "inactive", "include", "includes", "incompatible", "inconsistent", "incorrect", "increase",
            "increment", "indeterminate", "index", "indexes", "infinite", "infinity", "information", "inherited",
            "initial", "initially", "inline", "inner", "innodb", "innodb_lock_wait_timeout", "input", "insert",
            "inserted", "inside", "instance", "instead", "insufficient", "int", "int2", "int4", "int8", "integer",
            "integrity", "interface", "internal", "interrupted", "intersect", "interval", "into", "invalid", "ip",
            "is", "isn't", "isolated", "isolation", "it", "item", "its", "itself", "jdbc", "join", "json", "jsonb",
            "keepalive", "kept", "key", "keys", "keyword", "keywords", "kill", "killed", "kind", "known", "label",
            "language", "large", "larger", "last", "latest", "latin1", "lead", "leaked", "least", "left", "length",
            "lengths", "less", "level", "like", "limit", "limits", "line", "lines", "list", "listed", "literal",
            "local", "localhost", "lock", "lock_timeout", "locked", "locking", "locks", "log", "logged", "logic",
            "login", "long", "longtext", "loop", "lost", "lower", "made", "maintenance", "malformed", "manual",
            "many", "map", "mapped", "mapping", "mariadb", "match", "matching", "max", "max_statement_time",
            "maximal", "maximum", "may", "means", "mediumtext", "member", "memory", "message", "messages",
            "metadata", "method", "might", "milliseconds", "minimum", "minus", "minute", "mismatch", "missing",
            "mode", "modified", "modify", "modifying", "month", "more", "most", "ms", "mssql", "multi", "multiple",
            "must", "mvstore", "mvstoreexception", "myisam", "mysql", "name", "named", "names", "nan", "nchar",
            "near", "need", "needed", "negative", "nested", "network", "new", "next", "no", "non", "none",
            "nonexistent", "not", "nothing", "notnull", "nowait", "null", "nullable", "nulls", "number", "numeric",
            "nvarchar", "object", "objects", "occurred", "occurs", "of", "off", "offset", "ok", "old", "on",
            "once", "one", "only", "open", "open_", "operand", "operation", "operator", "operators", "optimizer",
            "option", "options", "or", "oracle", "order", "ordinal", "original", "orphan", "other", "out",
            "outside", "overflow", "overlaps", "overwritten", "owner", "page", "parallel", "parameter",
            "parameters", "parent", "parse", "parser", "partial", "partition", "pass", "passed", "password",
            "path", "pattern", "pending", "per", "permission", "permissions", "permitted", "pgjdbc", "pgsql",
            "pipe", "pivot", "pl", "placeholder", "placeholders", "plan", "please", "plpgsql", "point", "pool",
            "pooled", "port", "position", "positive", "possible", "possibly", "postgres", "postgresql",
            "postmaster", "precedes", "precision", "predicate", "prefix", "prepare", "prepared",
            "prepared_statement", "present", "preserve", "prevent", "previous", "primary", "privilege",
            "privileges", "problem", "procedure", "process", "progress", "prohibited", "protocol", "provide",
            "provided", "public", "qualified", "queries", "query", "quoted", "raise", "raised", "range", "rather",
            "re", "reached", "read", "reader", "reading", "reads", "real", "reason", "received", "recompile",
            "record", "records", "recovery", "recursive", "redefined", "redo", "reference", "referenced",
            "references", "referential", "refers", "refused", "rejected", "relation", "relations", "release",
            "rely", "remaining", "remote", "remove", "removed", "rename", "renamed", "repeat", "repeatable",
            "replace", "replication", "represent", "representation", "request", "requested", "required",
            "requires", "rerun", "reserved", "reset", "resolve", "resource", "resources", "respect", "restart",
            "restarting", "restrict", "restricted", "result", "results", "retried", "retry", "retrying", "return",
            "returned", "returning", "reverse", "revision", "revoke", "right", "role", "roll", "rollback",
            "rolled", "rolled_back", "rolling", "rolling_back", "root", "routine", "row", "rows", "rows_", "rule",
            "run", "running", "safe", "same", "satisfied", "savepoint", "scale", "scan", "scheduled", "schema",
            "schemas", "scope", "second", "seconds", "see", "segment", "select", "selected", "semicolon", "send",
            "sending", "separated", "separator", "sequence", "sequential", "serial", "serializable",
            "serialization", "serialize", "serialized", "served", "server", "session", "set", "setting", "share",
            "sharelock", "sharerowexclusivelock", "short", "shortened", "should", "shut", "shutdown", "shutting",
            "side", "signal", "signed", "similar", "simple", "since", "single", "size", "size_limit", "skip",
            "slot", "small", "smalldatetime", "smallint", "socket", "some", "sort", "source", "space", "specified",
            "specify", "sql", "sql_mode", "sqlite", "sqlite_busy", "sqlite_constraint", "sqlite_error",
            "sqlite_locked", "sqlstate", "ssl", "stack", "start", "started", "state", "statement",
            "statement_timeout", "statements", "status", "still", "stop", "stopped", "storage", "stored", "stream",
            "string", "structure", "subquery", "subtransaction", "subtransactions", "succeed", "succeeded",
            "successfully", "such", "suffix", "sum", "super", "superuser", "supplied", "support", "supported",
            "suspended", "synchronize", "syntax", "system", "table", "table_name", "tables", "take", "taken",
            "target", "tcp", "tell", "temp", "temporary", "terminate", "terminated", "terminating", "text", "than",
            "than_", "that", "the", "their", "them", "then", "there", "these", "this", "though", "thread", "time",
            "timed", "timeout", "timestamp", "timezone", "tinyint", "tinytext", "tls", "to", "together", "token",
            "tolerance", "too", "top", "total", "trailing", "transaction", "transactions", "transient",
            "transition", "transitioned", "trigger", "true", "truncate", "truncated", "truncation", "try",
            "trying", "tsvector", "tuple", "two", "type", "types", "unable", "unavailable", "uncommitted",
            "undefined", "under", "underlying", "unexpected", "unexpectedly", "unfinished", "unimplemented",
            "union", "unique", "units", "unknown", "unlock", "unlocked", "unlogged", "unreachable", "unrecognized",
            "unsigned", "unsupported", "until", "up", "update", "updated", "updating", "upgrade", "upper",
            "usable", "usage", "use", "used", "user", "using", "utf8", "utf8mb4", "uuid", "valid", "validate",
            "validation", "value", "value_", "values", "varbinary", "varchar", "variable", "variadic", "varying",
            "verify", "version", "victim", "view", "views", "violated", "violates", "violation", "visible", "wait",
            "waited", "waiting", "waits", "warning", "was", "wasn't", "were", "weren't", "when", "where",
            "whether", "which", "while", "whole", "wildcard", "will", "with", "within", "without", "workers",
            "would", "wrapped", "write", "written", "wrong", "xml", "year", "yes", "you", "your", "zero", "zone");

    /** Words after which a number says what it counts and is kept ({@code line 1}, {@code process 4711}). */
    private static final Set<String> COUNTING = Set.of("line", "row", "position", "process", "transaction", "pid",
            "conn", "id", "thread", "entry", "attempt", "attempts", "version", "column", "level", "build", "port");

    private MessageVocabulary() {
    }

    /** Whether a lower-case word is a message word. */
    static boolean isMessageWord(String lowerCaseWord) {
        return WORDS.contains(lowerCaseWord);
    }

    /** Whether a number after this lower-case word is a count or an id of the database, not data. */
    static boolean isCountingWord(String lowerCaseWord) {
        return COUNTING.contains(lowerCaseWord);
    }
}
