using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Ampstack.Analyzers;

/// <summary>
/// AMP0001: a line longer than <c>max_line_length</c> of <c>.editorconfig</c>. The compiler has no such rule and
/// <c>dotnet format</c> does not check it, so the build does (warnings are errors). Generated code is exempt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LineLengthAnalyzer : DiagnosticAnalyzer
{
    public const string DiagnosticId = "AMP0001";

    private static readonly DiagnosticDescriptor Rule = new(
        DiagnosticId,
        "Line too long",
        "This line is {0} characters long; max_line_length in .editorconfig is {1}",
        "Style",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxTreeAction(Analyze);
    }

    private static void Analyze(SyntaxTreeAnalysisContext context)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Tree);
        if (!options.TryGetValue("max_line_length", out var setting)
            || !int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            || max <= 0)
        {
            return;
        }

        foreach (var line in context.Tree.GetText(context.CancellationToken).Lines)
        {
            var length = line.End - line.Start;
            if (length > max)
            {
                var location = Location.Create(context.Tree, TextSpan.FromBounds(line.Start + max, line.End));
                context.ReportDiagnostic(Diagnostic.Create(Rule, location, length, max));
            }
        }
    }
}
