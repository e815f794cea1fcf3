using System.CommandLine;

namespace IncidentResponder.Commands;

/// <summary>
/// The one place that turns what went wrong into what the user reads: a parse error or a <see cref="UserError"/> is one
/// line and exit code 2; anything else is an unexpected fault, one line and exit code 1, with the full exception only
/// under <c>--verbose</c>. Commands throw; they do not catch and print.
/// </summary>
internal static class CommandLineInvocation
{
    public const int UsageError = 2;
    public const int Fault = 1;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter error)
    {
        var verbose = new Option<bool>("--verbose")
        {
            Description = "On an unexpected error, print the full exception with its stack trace instead of one line.",
            Recursive = true,
        };
        root.Options.Add(verbose);

        // The bare command shows what there is, as kubectl does, rather than an error about a missing command.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync(ParseErrorLine(parse)).ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (UserError mistake)
        {
            await error.WriteLineAsync(mistake.Message).ConfigureAwait(false);
            return UsageError;
        }
        catch (Exception fault)
        {
            var cause = fault.GetBaseException();
            await error.WriteLineAsync(parse.GetValue(verbose)
                ? $"incident-responder: unexpected error: {fault}"
                : $"incident-responder: unexpected error: {cause.GetType().Name}: {OneLine(cause.Message)} (run again with --verbose for the stack trace)").ConfigureAwait(false);
            return Fault;
        }
    }

    /// <summary>Collapses a multi-line message so every report stays one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// One line for what the parser refused. An unknown word is named with the command it was given to; otherwise the
    /// parser's first message, which already names the flag. Either way, where to look next.
    /// </summary>
    private static string ParseErrorLine(ParseResult parse)
    {
        var path = CommandPath(parse.CommandResult);
        return parse.UnmatchedTokens.Count > 0
            ? $"'{parse.UnmatchedTokens[0]}' is not a command or flag of '{path}': see '{path} --help'"
            : $"{parse.Errors[0].Message.TrimEnd('.')}: see '{path} --help'";
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(current.Command is RootCommand ? "incident-responder" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
