using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace Agno.Testing;

/// <summary>
/// Renders an assembly's public surface as text, one line per member, so that a committed listing shows
/// every public API change in review. Set AGNO_UPDATE_API=1 to rewrite the listing after a deliberate change.
/// </summary>
public static class PublicApi
{
    public static string Render(Assembly assembly)
    {
        var sb = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            sb.Append(TypeHeader(type)).Append('\n');
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            var lines = new List<string>();
            foreach (var member in type.GetMembers(flags))
            {
                string? line = member switch
                {
                    ConstructorInfo c when Visible(c) => $"ctor({Params(c.GetParameters())})",
                    MethodInfo m when Visible(m) && !m.IsSpecialName => $"{Mods(m)}{Name(m.ReturnType)} {m.Name}{GenericArgs(m)}({Params(m.GetParameters())})",
                    MethodInfo m when Visible(m) && m.IsSpecialName && m.Name.StartsWith("op_", StringComparison.Ordinal) => $"static {Name(m.ReturnType)} {m.Name}({Params(m.GetParameters())})",
                    PropertyInfo p when Accessors(p) is { Length: > 0 } acc => $"{(p.GetMethod ?? p.SetMethod)!.IsStatic switch { true => "static ", _ => "" }}{Name(p.PropertyType)} {p.Name} {{ {acc} }}",
                    FieldInfo f when (f.IsPublic || f.IsFamily) && !type.IsEnum => $"{(f.IsStatic ? "static " : "")}{(f.IsLiteral ? "const " : f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}",
                    FieldInfo f when type.IsEnum && f.IsLiteral => $"{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}",
                    EventInfo e when e.AddMethod is { } add && Visible(add) => $"event {Name(e.EventHandlerType!)} {e.Name}",
                    _ => null,
                };
                if (line is not null)
                {
                    lines.Add("  " + line);
                }
            }

            foreach (var line in lines.Order(StringComparer.Ordinal))
            {
                sb.Append(line).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>Compares an assembly's surface with its committed listing (api/NAME.txt at the repository root).</summary>
    public static void AssertUnchanged(Assembly assembly, [CallerFilePath] string callerFile = "")
    {
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, "..", ".."));
        string file = Path.Combine(root, "api", assembly.GetName().Name + ".txt");
        string actual = Render(assembly);
        if (Environment.GetEnvironmentVariable("AGNO_UPDATE_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, actual);
        }

        Assert.True(File.Exists(file), $"No public API listing at {file}: run the tests once with AGNO_UPDATE_API=1 and review the file.");
        string expected = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != actual)
        {
            var e = expected.Split('\n');
            var a = actual.Split('\n');
            var removed = e.Except(a).Take(20);
            var added = a.Except(e).Take(20);
            Assert.Fail($"The public API of {assembly.GetName().Name} changed. If deliberate, run the tests with AGNO_UPDATE_API=1 and commit api/{assembly.GetName().Name}.txt.\nRemoved:\n  {string.Join("\n  ", removed)}\nAdded:\n  {string.Join("\n  ", added)}");
        }
    }

    private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static string Accessors(PropertyInfo p)
    {
        var parts = new List<string>();
        if (p.GetMethod is { } g && Visible(g)) { parts.Add("get;"); }
        if (p.SetMethod is { } s && Visible(s))
        {
            bool init = s.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit");
            parts.Add(init ? "init;" : "set;");
        }

        return string.Join(' ', parts);
    }

    private static string Mods(MethodInfo m)
    {
        var sb = new StringBuilder();
        if (m.IsFamily) { sb.Append("protected "); }
        if (m.IsStatic) { sb.Append("static "); }
        else if (m.IsAbstract) { sb.Append("abstract "); }
        else if (m.IsVirtual && !m.IsFinal && m.GetBaseDefinition() == m) { sb.Append("virtual "); }
        else if (m.IsVirtual && m.GetBaseDefinition() != m) { sb.Append("override "); }
        if (m.IsDefined(typeof(ExtensionAttribute), false)) { sb.Append("extension "); }
        return sb.ToString();
    }

    private static string GenericArgs(MethodInfo m) => m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Params(ParameterInfo[] ps) => string.Join(", ", ps.Select(p =>
    {
        string prefix = p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ") : "";
        string def = p.HasDefaultValue ? " = " + (p.DefaultValue switch { null => "null", string s => $"\"{s}\"", bool b => b ? "true" : "false", var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) }) : "";
        string @params = p.IsDefined(typeof(ParamArrayAttribute), false) ? "params " : "";
        return $"{@params}{prefix}{Name(p.ParameterType)} {p.Name}{def}";
    }));

    private static string TypeHeader(Type t)
    {
        string kind = t.IsEnum ? "enum" : t.IsValueType ? "struct" : t.IsInterface ? "interface" : typeof(Delegate).IsAssignableFrom(t) ? "delegate" : "class";
        string mods = kind == "class" ? (t.IsAbstract && t.IsSealed ? "static " : t.IsAbstract ? "abstract " : t.IsSealed ? "sealed " : "") : "";
        var bases = new List<string>();
        if (kind == "class" && t.BaseType is { } b && b != typeof(object) && !typeof(Delegate).IsAssignableFrom(t)) { bases.Add(Name(b)); }
        bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"{mods}{kind} {Name(t)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    private static string Name(Type t)
    {
        if (t.IsByRef) { return Name(t.GetElementType()!); }
        if (t.IsArray) { return Name(t.GetElementType()!) + "[]"; }
        if (Nullable.GetUnderlyingType(t) is { } u) { return Name(u) + "?"; }
        if (t.IsGenericParameter) { return t.Name; }
        string name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : (t.Namespace is null ? t.Name : t.Namespace + "." + t.Name);
        if (t.IsGenericType)
        {
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            if (tick >= 0) { name = name[..tick]; }
            name += "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
        }

        return name;
    }
}
