namespace Agno.AgentOS;

// The options of the agno-go dialect.
public sealed partial class AgentOSClientOptions
{
    /// <summary>The default path of agno-go's API under the base address: <c>api/v1</c>.</summary>
    public const string DefaultAgnoGoApiPath = "api/v1";

    /// <summary>
    /// The protocol the server speaks: <see cref="AgentOSDialect.Python"/> (the default), <see cref="AgentOSDialect.AgnoGo"/>,
    /// or <see cref="AgentOSDialect.Auto"/> (detected once from <c>GET /health</c>). Bind it from configuration as
    /// <c>"Dialect": "AgnoGo"</c>.
    /// </summary>
    public AgentOSDialect Dialect { get; set; }

    /// <summary>
    /// agno-go only: where its API sits under <see cref="BaseAddress"/>, <c>api/v1</c> by default; a server started with a
    /// <c>Prefix</c> <c>p</c> serves <c>p/api/v1</c>. Health is always <c>/health</c> under the base address.
    /// </summary>
    public string AgnoGoApiPath { get; set; } = DefaultAgnoGoApiPath;
}
