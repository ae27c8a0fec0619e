namespace Agno.AgentOS.Internal;

/// <summary>
/// A token cancelled by the caller's token or after a timeout measured on a <see cref="TimeProvider"/>
/// (a linked <see cref="CancellationTokenSource"/> can only time out on the system clock).
/// </summary>
internal sealed class LinkedTimeout : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenRegistration _registration;

    public LinkedTimeout(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        _cts = new CancellationTokenSource(timeout, timeProvider);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _cts);
        }
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>True once the token is cancelled, by the timeout or by the caller.</summary>
    public bool IsCancellationRequested => _cts.IsCancellationRequested;

    public void Dispose()
    {
        _registration.Dispose();
        _cts.Dispose();
    }
}
