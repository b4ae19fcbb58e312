namespace Sched.Language.Diagnostics;

/// <summary>
/// Stable diagnostic IDs, rendered SCHnnnn: syntax 0xxx, binding 1xxx, scheduling 2xxx, verification 3xxx
/// (the 3xxx rules live in Sched.Runtime.Verification.ViolationKind). Numbers are never reused.
/// </summary>
public enum DiagnosticId
{
    UnexpectedToken = 1,
    InvalidCharacter = 2,
    InvalidNumber = 3,
    CannotReadFile = 4,
    UsageError = 5,
    MisspeltKeyword = 6,

    UnknownName = 1001,
    DuplicateName = 1002,
    UnknownUnit = 1003,
    WrongDimension = 1004,
    ShapeMismatch = 1005,
    UnknownDtype = 1006,
    UnknownComponentKind = 1007,
    UnknownProperty = 1008,
    MissingProperty = 1009,
    UnknownTarget = 1010,
    WrongKindOfName = 1011,
    NoLink = 1012,
    WrongArgumentCount = 1013,
    NotATensor = 1014,
    IndexOutOfRange = 1015,
    InvalidValue = 1016,
    UnknownOperation = 1017,
    InvalidParameterOverride = 1018,
    DtypeMismatch = 1019,
    NoOutput = 1020,
    UnsupportedRank = 1021,
    MissingClock = 1022,
    NoProgram = 1023,
    NotAContractMetric = 1024,
    UnknownSetting = 1025,

    DoesNotFit = 2001,
    TooLarge = 2002,
    NoSchedule = 2003,
    BadStoredSchedule = 2006,
}
