using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// JSON settings for chat histories that hold this library's contents. <see cref="AIJsonUtilities.DefaultOptions"/>
/// knows MEAI's own content types only: serializing a message with an <see cref="AgnoInputRequestContent"/> or an
/// <see cref="AgnoInputResponseContent"/> needs these options (or <see cref="AddAgnoContentTypes"/> on your own).
/// The types are read through reflection-based metadata, so this is not for trimmed or native AOT applications.
/// </summary>
public static class AgnoJsonUtilities
{
    /// <summary>The type discriminator of <see cref="AgnoInputRequestContent"/>.</summary>
    public const string InputRequestDiscriminator = "agnoInputRequest";

    /// <summary>The type discriminator of <see cref="AgnoInputResponseContent"/>.</summary>
    public const string InputResponseDiscriminator = "agnoInputResponse";

    /// <summary><see cref="AIJsonUtilities.DefaultOptions"/> plus this library's content types (read-only).</summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    /// <summary>Registers this library's content types as <see cref="AIContent"/> subtypes of the options.</summary>
    /// <param name="options">Options that are not read-only yet (e.g. a copy of <see cref="AIJsonUtilities.DefaultOptions"/>).</param>
    public static void AddAgnoContentTypes(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddAIContentType<AgnoInputRequestContent>(InputRequestDiscriminator);
        options.AddAIContentType<AgnoInputResponseContent>(InputResponseDiscriminator);
    }

    private static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions);
        options.AddAgnoContentTypes();
        options.MakeReadOnly();
        return options;
    }
}
