namespace StateForge.Cli.Tests;

/// <summary>A temp directory holding a playbook and everything it manages.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace() => Root = Directory.CreateTempSubdirectory("sf-cli-").FullName;

    public string Root { get; }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public string Write(string relative, string text)
    {
        var path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Read(string relative) => File.ReadAllText(Path(relative));

    public bool Exists(string relative) => File.Exists(Path(relative)) || Directory.Exists(Path(relative));

    public Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync(Root, args);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>A playbook touching only files below the workspace, with each core module and a handler.</summary>
    public void WriteSite()
    {
        Write("templates/app.conf.j2", "name={{ app_name }}\nport={{ app_port }}\n{% for u in users %}user={{ u }}\n{% endfor %}");
        Write("site.yml", """
            - name: Local site
              hosts: localhost
              gather_facts: false
              vars:
                root: "{{ playbook_dir }}/managed"
                app_name: demo
                app_port: 8080
                users: [alice, bob]
              tasks:
                - name: Create the config directory
                  file: {path: "{{ root }}/etc", state: directory, mode: "0755"}
                - name: Write the static file
                  copy:
                    dest: "{{ root }}/etc/static.txt"
                    content: "static\n"
                    mode: "0644"
                  notify: config changed
                - name: Render the app config
                  template: {src: app.conf.j2, dest: "{{ root }}/etc/app.conf", mode: "0640"}
                - name: Pin the mount port
                  lineinfile:
                    path: "{{ root }}/etc/sysconfig"
                    regexp: "^RPCMOUNTDOPTS="
                    line: 'RPCMOUNTDOPTS="-p 20048"'
                    create: true
                - name: Mark as built
                  command:
                    argv: [touch, "{{ root }}/built"]
                    creates: "{{ root }}/built"
              handlers:
                - name: config changed
                  debug: {msg: "the config changed"}
            """);
    }
}
