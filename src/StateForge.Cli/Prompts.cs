namespace StateForge.Cli;

/// <summary>Asks the person at the terminal for a secret, without echo; null when there is no terminal.</summary>
internal static class Prompts
{
    private static readonly Lock Gate = new();

    public static string? Secret(CliEnvironment env, string prompt)
    {
        if (!env.Interactive || Console.IsInputRedirected)
        {
            return null;
        }

        lock (Gate)
        {
            env.Error.Write(prompt);
            var text = new System.Text.StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (text.Length > 0)
                    {
                        text.Length--;
                    }

                    continue;
                }

                text.Append(key.KeyChar);
            }

            env.Error.WriteLine();
            return text.ToString();
        }
    }
}
