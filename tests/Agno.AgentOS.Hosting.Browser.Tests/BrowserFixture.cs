using Microsoft.Playwright;
using Xunit;

namespace Agno.AgentOS.Hosting.Browser.Tests;

/// <summary>
/// One headless Chromium for the tests: the system's browser (Debian's <c>chromium</c>, or the one named by
/// <c>AGNO_CHROMIUM</c>) driven by Playwright through <see cref="BrowserTypeLaunchOptions.ExecutablePath"/>, so no
/// browser is downloaded. Where none can be started, <see cref="SkipReason"/> says why in one line.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    private IPlaywright? _playwright;

    /// <summary>The browser, or null when none could be started.</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser (one line), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>Fails with <see cref="SkipReason"/> as a skip when there is no browser.</summary>
    /// <returns>The browser.</returns>
    public IBrowser Require()
    {
        if (Browser is null)
        {
            Assert.Skip(SkipReason ?? "No browser could be started.");
        }

        return Browser!;
    }

    public async ValueTask InitializeAsync()
    {
        string? named = Environment.GetEnvironmentVariable("AGNO_CHROMIUM");
        string? path = !string.IsNullOrWhiteSpace(named) ? named : KnownPaths.FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            SkipReason = $"Browser tests skipped: no Chromium at {named ?? string.Join(", ", KnownPaths)} (install Debian's chromium, or name one in AGNO_CHROMIUM).";
            return;
        }

        try
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true });
        }
        catch (Exception ex) when (ex is PlaywrightException or InvalidOperationException or IOException or TimeoutException)
        {
            if (!string.IsNullOrWhiteSpace(named))
            {
                // A browser was named explicitly (the test script does so once it has one): failing to start it is a failure.
                throw;
            }

            SkipReason = $"Browser tests skipped: {path} could not be started ({ex.Message.Split('\n')[0].Trim()}).";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
