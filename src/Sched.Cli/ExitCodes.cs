namespace Sched.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int VerificationFailed = 1;
    public const int InputDiagnostics = 2;
    public const int InternalError = 3;
}
