namespace StateForge.Diagnostics;

/// <summary>
/// Every user-facing error StateForge reports, with its stable code. Codes are never reused:
/// a test checks they are unique.
/// </summary>
public static class DiagnosticCatalog
{
    public static Diagnostic YamlSyntax(SourceSpan at, string message) => Error("SF0001", at, $"YAML syntax error: {message}");

    public static Diagnostic DuplicateKey(SourceSpan at, string key, SourceSpan first) =>
        Error("SF0002", at, $"duplicate key '{key}' (first defined at line {first.Line}, column {first.Column})");

    public static Diagnostic UnknownKeyword(SourceSpan at, string key, string where, string? suggestion) =>
        Error("SF0003", at, $"unknown {where} keyword '{key}'{Suggest(suggestion)}");

    public static Diagnostic UnknownModule(SourceSpan at, string name, string? suggestion) =>
        Error("SF0004", at, $"unknown module '{name}'{Suggest(suggestion)}");

    public static Diagnostic UnknownParameter(SourceSpan at, string module, string name, string? suggestion) =>
        Error("SF0005", at, $"module '{module}' has no parameter '{name}'{Suggest(suggestion)}");

    public static Diagnostic MissingParameter(SourceSpan at, string module, string name) =>
        Error("SF0006", at, $"module '{module}' requires parameter '{name}'");

    public static Diagnostic WrongType(SourceSpan at, string what, string expected, string actual) =>
        Error("SF0007", at, $"{what} must be {expected}, not {actual}");

    public static Diagnostic InvalidChoice(SourceSpan at, string what, string value, IEnumerable<string> choices) =>
        Error("SF0008", at, $"{what} must be one of {string.Join(", ", choices)}; got '{value}'");

    public static Diagnostic MutuallyExclusive(SourceSpan at, string module, IEnumerable<string> names) =>
        Error("SF0009", at, $"module '{module}': parameters {string.Join(", ", names)} are mutually exclusive");

    public static Diagnostic UnquotedOctalMode(SourceSpan at, string raw, long value) =>
        Error("SF0010", at, $"unquoted mode {raw} is read by YAML as the number {value}; quote it ('{raw}') or use a symbolic mode such as 'u=rw,g=r,o=r'");

    public static Diagnostic FileNotFound(SourceSpan at, string what, string path) =>
        Error("SF0011", at, $"{what} '{path}' not found");

    /// <summary>The file is there but reading it failed (permissions, a directory, a device or /proc file).</summary>
    public static Diagnostic FileUnreadable(SourceSpan at, string path, string reason) =>
        Error("SF0134", at, $"file '{path}' cannot be read: {reason}");

    public static Diagnostic UndefinedVariable(SourceSpan at, string variable, string? task) =>
        Error("SF0012", at, $"undefined variable '{variable}'{(task is null ? "" : $" in task '{task}'")}");

    public static Diagnostic TemplateError(SourceSpan at, string message, string? task) =>
        Error("SF0013", at, $"template error{(task is null ? "" : $" in task '{task}'")}: {message}");

    public static Diagnostic MultipleModules(SourceSpan at, IEnumerable<string> names) =>
        Error("SF0014", at, $"a task may name one module; this one names {string.Join(", ", names)}");

    public static Diagnostic NoModule(SourceSpan at) =>
        Error("SF0015", at, "task names no module (and is not a block, include or role)");

    public static Diagnostic CircularInclude(SourceSpan at, string path) =>
        Error("SF0016", at, $"circular include of '{path}'");

    public static Diagnostic InvalidInventory(SourceSpan at, string message) => Error("SF0017", at, $"inventory: {message}");

    public static Diagnostic BadHostPattern(SourceSpan at, string pattern, string message) =>
        Error("SF0018", at, $"host pattern '{pattern}': {message}");

    public static Diagnostic WrongShape(SourceSpan at, string what, string expected) =>
        Error("SF0019", at, $"{what} must be {expected}");

    public static Diagnostic MissingKeyword(SourceSpan at, string where, string key) =>
        Error("SF0020", at, $"{where} requires '{key}'");

    public static Diagnostic RoleNotFound(SourceSpan at, string role, IEnumerable<string> searched) =>
        Error("SF0021", at, $"role '{role}' not found (looked in {string.Join(", ", searched)})");

    public static Diagnostic InvalidValue(SourceSpan at, string what, string message) =>
        Error("SF0022", at, $"{what}: {message}");

    public static Diagnostic HandlerNotFound(SourceSpan at, string handler) =>
        Error("SF0023", at, $"notify names handler '{handler}', which no handler in the play defines or listens for");

    public static Diagnostic InvalidExtraVars(string message) => Error("SF0024", SourceSpan.None, $"extra vars: {message}");

    public static Diagnostic NoHostsMatched(SourceSpan at, string pattern) =>
        Warning("SF0025", at, $"no hosts matched '{pattern}'");

    public static Diagnostic NestingTooDeep(SourceSpan at, int limit) =>
        Error("SF0026", at, $"document nested deeper than {limit} levels");

    public static Diagnostic EmptyPlaybook(SourceSpan at) => Error("SF0027", at, "playbook is empty: it must be a list of plays");

    public static Diagnostic InventoryNameConflict(SourceSpan at, string name) =>
        Warning("SF0100", at, $"inventory: '{name}' names both a host and a group; the pattern '{name}' selects the host only");

    public static Diagnostic InventoryScriptUnsupported(SourceSpan at, string path) =>
        Error("SF0101", at, $"inventory: '{path}' is an inventory script; StateForge reads YAML and INI inventories only");

    public static Diagnostic InventoryPluginUnsupported(SourceSpan at, string plugin) =>
        Error("SF0102", at, $"inventory: '{plugin}' is an inventory plugin configuration; StateForge reads YAML and INI inventories only");

    public static Diagnostic NotUtf8(SourceSpan at, int value) =>
        Error("SF0130", at, $"the file is not valid UTF-8: byte 0x{value:X2} here is not part of a UTF-8 character; save the file as UTF-8");

    public static Diagnostic AliasExpansionTooLarge(SourceSpan at, int limit) =>
        Error("SF0131", at, $"YAML aliases here expand the document to more than {limit:N0} values; write the values out or use fewer nested aliases");

    public static Diagnostic IncludesTooDeep(SourceSpan at, int limit) =>
        Error("SF0132", at, $"includes and imports are nested more than {limit} files deep here");

    public static Diagnostic TooManyIncludes(SourceSpan at, int limit) =>
        Error("SF0133", at, $"the playbook's includes, imports and roles expand to more than {limit:N0} files; does a file include another more than once at every level?");

    public static Diagnostic VaultWrongPassword(SourceSpan at, string file) =>
        Error("SF0120", at, $"vault: wrong password or the file was changed: {file}");

    public static Diagnostic VaultNoPassword(SourceSpan at, string file) =>
        Error("SF0121", at, $"vault: '{file}' needs a vault password and none was given (use --vault-password-file PATH, set STATEFORGE_VAULT_PASSWORD_FILE, or run on a terminal to be asked)");

    public static Diagnostic VaultMalformed(SourceSpan at, string file, string problem) =>
        Error("SF0122", at, $"vault: '{file}' is not a StateForge vault this version can read: {problem}");

    public static Diagnostic VaultPasswordUnavailable(SourceSpan at, string file, string problem) =>
        Error("SF0123", at, $"vault: no password for '{file}': {problem}");

    public static Diagnostic VaultNotText(SourceSpan at, string file) =>
        Error("SF0124", at, $"vault: '{file}' decrypts to binary data, not UTF-8 text, so it cannot be read as YAML");

    public static Diagnostic VaultAlreadyEncrypted(SourceSpan at, string file) =>
        Error("SF0125", at, $"vault: '{file}' is already encrypted");

    public static Diagnostic VaultNotEncrypted(SourceSpan at, string file) =>
        Error("SF0126", at, $"vault: '{file}' is not encrypted");

    public static Diagnostic VaultFileError(SourceSpan at, string file, string problem) =>
        Error("SF0127", at, $"vault: cannot {problem}: {file}");

    private static string Suggest(string? suggestion) => suggestion is null ? "" : $"; did you mean '{suggestion}'?";

    private static Diagnostic Error(string code, SourceSpan at, string message) => new(code, DiagnosticLevel.Error, Clip(message), at);

    private static Diagnostic Warning(string code, SourceSpan at, string message) => new(code, DiagnosticLevel.Warning, Clip(message), at);

    /// <summary>Messages quote what the user wrote; a megabyte-long name must not become a megabyte of output.</summary>
    private static string Clip(string message) => message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "… (cut)");

    private const int MaxMessageLength = 1000;
}
