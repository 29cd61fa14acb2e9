/* ntmpm's main(): the command line, the configuration, the choice of MPM, then the MPM's run(). */
#include "cmdline.h"
#include "config.h"
#include "http/http.h"
#include "log.h"
#include "mpm.h"
#include "mpm_builtin.h"
#include "ntmpm_build.h"

#include <windows.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTMPM_BUILT __DATE__ " " __TIME__
#define MPM_LOG_MODULE "mpm_" NTMPM_BUILD_MPM

/* Print a malloc'd text and free it; a NULL text is an allocation failure. */
static int print_text(FILE *f, char *text)
{
    if (text == NULL) {
        fprintf(stderr, "ntmpm: out of memory\n");
        return 1;
    }
    fputs(text, f);
    fflush(f);
    free(text);
    return 0;
}

/* -V: cmdline's settings text, plus how this binary was built. */
static int show_settings(void)
{
    char *text = cmdline_settings_text(NTMPM_VERSION, NTMPM_BUILT, NTMPM_BUILD_MPMS_SHARED, NULL);
    if (text == NULL)
        return print_text(stdout, NULL);
    const char *arch = strstr(text, "Architecture:");
    size_t head = arch ? (size_t)(arch - text) : strlen(text);
    printf("%.*s", (int)head, text);
    printf("Compiled using: %s for %s\n", NTMPM_BUILD_COMPILER, NTMPM_BUILD_HOST);
    fputs(text + head, stdout);
    printf(" -D NTMPM_MPM=\"%s\"\n", NTMPM_BUILD_MPM);
    printf(" -D NTMPM_MPMS_SHARED=%d\n", NTMPM_BUILD_MPMS_SHARED);
    printf(" -D NTMPM_HOST=\"%s\"\n", NTMPM_BUILD_HOST);
    fflush(stdout);
    free(text);
    return 0;
}

static int has_define(const struct cmdline *cmd, const char *name)
{
    for (size_t i = 0; i < cmd->n_defines; i++)
        if (strcmp(cmd->defines[i], name) == 0)
            return 1;
    return 0;
}

/* -S (-t -D DUMP_VHOSTS -D DUMP_RUN_CFG): the settings summary httpd prints. */
static void dump_settings(const struct cmdline *cmd, const struct server_config *conf)
{
    if (has_define(cmd, "DUMP_VHOSTS"))
        printf("VirtualHost configuration:\n");
    if (!has_define(cmd, "DUMP_RUN_CFG"))
        return;
    printf("ServerRoot: \"%s\"\n", conf->server_root);
    printf("Main DocumentRoot: \"%s\"\n", conf->document_root);
    printf("Main ErrorLog: \"%s\"\n", conf->error_log ? conf->error_log : "");
    printf("Mutex default: dir=\"%s/logs/\" mechanism=default \n", conf->server_root);
    printf("PidFile: \"%s\"\n", conf->pid_file);
    for (size_t i = 0; i < cmd->n_defines; i++)
        printf("Define: %s\n", cmd->defines[i]);
}

/* -M (-t -D DUMP_MODULES): compiled-in modules, then the loaded ones. */
static void dump_modules(const struct server_config *conf)
{
    const struct config_module *mods[64];
    size_t n = config_compiled_modules(NTMPM_BUILD_MPMS_SHARED, mods, 64);
    printf("Loaded Modules:\n");
    for (size_t i = 0; i < n && i < 64; i++)
        printf(" %s (static)\n", mods[i]->name);
    for (size_t i = 0; i < conf->n_modules; i++)
        printf(" %s (shared)\n", conf->modules[i].name);
}

/* -t -D DUMP_INCLUDES: the configuration files read, in order. */
static void dump_includes(const struct config_flat *flat)
{
    printf("Included configuration files:\n");
    const char *last = NULL;
    for (size_t i = 0; i < config_flat_count(flat); i++) {
        struct config_line l = config_flat_line(flat, i);
        if (l.file == NULL || (last != NULL && strcmp(last, l.file) == 0))
            continue;
        if (strcmp(l.file, CONFIG_CMDLINE_FILE) != 0)
            printf("  (*) %s\n", l.file);
        last = l.file;
    }
}

/* Where the configuration's LoadModule of name is, for messages ("" and 0 when not found). */
static void find_loadmodule(const struct config_flat *flat, const char *name, const char **file,
                            unsigned *line)
{
    *file = "";
    *line = 0;
    size_t len = strlen(name);
    for (size_t i = 0; flat != NULL && i < config_flat_count(flat); i++) {
        struct config_line l = config_flat_line(flat, i);
        const char *t = l.text;
        if (strlen(t) < 11 || !(t[10] == ' ' || t[10] == '\t'))
            continue;
        char word[11];
        for (int k = 0; k < 10; k++)
            word[k] = (char)tolower((unsigned char)t[k]);
        word[10] = '\0';
        if (strcmp(word, "loadmodule") != 0)
            continue;
        t += 10;
        while (*t == ' ' || *t == '\t')
            t++;
        if (strncmp(t, name, len) == 0 && (t[len] == ' ' || t[len] == '\t')) {
            *file = l.file;
            *line = l.line;
        }
    }
}

/* LoadLibrary the MPM at path and find its table, exported under the module's name. */
static const struct mpm_module *load_mpm(const char *path, const char *name, const char *where)
{
    char native[1024];
    snprintf(native, sizeof(native), "%s", path);
    /* LoadLibrary wants backslashes [LoadLibraryA]; compat turns them back into slashes. */
    for (char *p = native; *p; p++)
        if (*p == '/')
            *p = '\\';
    char why[256], msg[2048];
    HMODULE h = LoadLibraryA(native);
    if (h == NULL) {
        log_win32_error_text(GetLastError(), why, sizeof(why));
        snprintf(msg, sizeof(msg), "%sCannot load %s into server: %s", where, path, why);
        log_startup(CONFIG_LOG_EMERG, msg);
        return NULL;
    }
    const struct mpm_module *m = (const struct mpm_module *)(void *)GetProcAddress(h, name);
    if (m == NULL) {
        log_win32_error_text(GetLastError(), why, sizeof(why));
        snprintf(msg, sizeof(msg), "%sCan't locate API module structure `%s' in file %s: %s", where,
                 name, path, why);
        log_startup(CONFIG_LOG_EMERG, msg);
        return NULL;
    }
    if (m->run == NULL || m->name == NULL || strcmp(m->name, name) != 0) {
        snprintf(msg, sizeof(msg), "%s%s in %s is not an ntmpm MPM", where, name, path);
        log_startup(CONFIG_LOG_EMERG, msg);
        return NULL;
    }
    return m;
}

/* A child of the control process: no command line and no config files (they come from the pipe). */
static int run_child(int argc, char **argv)
{
    log_init(CONFIG_LOG_WARNING);
    const struct mpm_module *mpm = mpm_builtin();
    char path[1024];
    DWORD n = GetEnvironmentVariableA(MPM_ENV_MODULE_PATH, path, sizeof(path));
    if (n > 0 && n < sizeof(path)) {
        const char *name = "mpm_" NTMPM_BUILD_MPM "_module";
        mpm = load_mpm(path, name, "ntmpm: child: ");
    }
    if (mpm == NULL) {
        fprintf(stderr, "ntmpm: child: no MPM (the parent did not name its module)\n");
        return 1;
    }
    struct mpm_run r = {0};
    r.argc = argc;
    r.argv = argv;
    r.child = 1;
    r.log = log_mpm_sink(MPM_LOG_MODULE);
    int rc = mpm->run(&r);
    log_close();
    return rc;
}

static int parse_level(const char *name, enum config_log_level *out)
{
    for (int l = CONFIG_LOG_EMERG; l <= CONFIG_LOG_TRACE8; l++)
        if (strcmp(config_log_level_name((enum config_log_level)l), name) == 0) {
            *out = (enum config_log_level)l;
            return 0;
        }
    return -1;
}

/* The MPM that runs: the compiled-in one, or the module the configuration's LoadModule names. */
static const struct mpm_module *select_mpm(const struct config_flat *flat,
                                           const struct server_config *conf)
{
    const struct mpm_module *mpm = mpm_builtin();
    if (mpm != NULL)
        return mpm;
    for (size_t i = 0; i < conf->n_modules; i++) {
        const struct config_loaded_module *m = &conf->modules[i];
        if (!m->is_mpm)
            continue;
        /* httpd loads modules while it reads the configuration: name the LoadModule line. */
        const char *file;
        unsigned line;
        char where[1200] = "";
        find_loadmodule(flat, m->name, &file, &line);
        if (line > 0)
            snprintf(where, sizeof(where), "Syntax error on line %u of %s: ", line, file);
        mpm = load_mpm(m->path, m->name, where);
        /* The child loads the same file before it runs (main.c of the child reads this). */
        if (mpm != NULL)
            SetEnvironmentVariableA(MPM_ENV_MODULE_PATH, m->path);
        return mpm;
    }
    /* config_apply already refuses a configuration without an MPM. */
    log_startup(CONFIG_LOG_EMERG, "Configuration error: No MPM loaded.");
    return NULL;
}

static int run_server(int argc, char **argv, struct cmdline *cmd)
{
    enum config_log_level startup_level = CONFIG_LOG_WARNING;
    if (cmd->error_level != NULL && parse_level(cmd->error_level, &startup_level) != 0) {
        fprintf(stderr, "%s: invalid -e argument: %s\n", cmd->argv0, cmd->error_level);
        return 1;
    }
    log_init(startup_level);
    if (cmd->error_file != NULL) {
        char err[1024], path[1024];
        /* httpd resolves -E against the -d ServerRoot (a drive letter or a slash is absolute). */
        const char *f = cmd->error_file;
        int absolute = f[0] == '/' || f[0] == '\\' || (f[0] != '\0' && f[1] == ':');
        if (!absolute && cmd->server_root != NULL)
            snprintf(path, sizeof(path), "%s/%s", cmd->server_root, f);
        else
            snprintf(path, sizeof(path), "%s", f);
        if (log_startup_file(path, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s: %s\n", cmd->argv0, err);
            return 1;
        }
    }

    struct config_load_options load = {0};
    load.server_root = cmd->server_root;
    load.config_file = cmd->config_file;
    load.pre = cmd->pre;
    load.n_pre = cmd->n_pre;
    load.post = cmd->post;
    load.n_post = cmd->n_post;
    load.defines = cmd->defines;
    load.n_defines = cmd->n_defines;
    load.mpms_shared = NTMPM_BUILD_MPMS_SHARED;

    static struct config_error err; /* 5 KiB: off the stack */
    struct config_flat *flat = NULL;
    struct server_config *conf = NULL;
    struct config_sink sink = log_startup_sink();
    if (config_load(&load, &flat, &err) != 0 || config_apply(flat, &sink, &conf, &err) != 0) {
        log_startup(CONFIG_LOG_EMERG, err.message);
        config_flat_free(flat);
        log_close();
        return 1;
    }

    int rc = 0;
    char why[1024];
    if (log_check(conf, why, sizeof(why)) != 0) {
        log_startup(CONFIG_LOG_EMERG, why);
        rc = 1;
        goto out;
    }
    const struct mpm_module *mpm = select_mpm(flat, conf);
    if (mpm == NULL) {
        rc = 1;
        goto out;
    }
    /* httpd 2.4: a DUMP_* define is a configuration dump (-S, -M), which does not say Syntax OK. */
    int dump = has_define(cmd, "DUMP_VHOSTS") || has_define(cmd, "DUMP_RUN_CFG") ||
               has_define(cmd, "DUMP_MODULES") || has_define(cmd, "DUMP_INCLUDES");
    if (cmd->test || dump) {
        if (has_define(cmd, "DUMP_VHOSTS") || has_define(cmd, "DUMP_RUN_CFG"))
            dump_settings(cmd, conf);
        if (has_define(cmd, "DUMP_MODULES"))
            dump_modules(conf);
        if (has_define(cmd, "DUMP_INCLUDES"))
            dump_includes(flat);
        fflush(stdout);
        if (!dump)
            log_startup(CONFIG_LOG_EMERG, "Syntax OK");
        goto out;
    }

    /* The server itself logs to ErrorLog; -k verbs report to the terminal that ran them. */
    if (cmd->signal == CMDLINE_K_NONE) {
        if (log_open(conf, why, sizeof(why)) != 0) {
            log_startup(CONFIG_LOG_EMERG, why);
            log_startup(CONFIG_LOG_EMERG, "Unable to open logs");
            rc = 1;
            goto out;
        }
    }
    struct mpm_run r = {0};
    r.argc = argc;
    r.argv = argv;
    r.cmd = cmd;
    r.load = &load;
    r.flat = flat;
    r.conf = conf;
    r.signal = cmd->signal;
    r.one_process = cmd->one_process;
    r.log = log_mpm_sink(MPM_LOG_MODULE);
    rc = mpm->run(&r);
    /* Once the ErrorLog is open, the reason a server stops on error is only there: say where. */
    if (rc != 0 && cmd->signal == CMDLINE_K_NONE) {
        snprintf(why, sizeof(why), "%s: the server exited with status %d; see the error log %s",
                 cmd->argv0, rc, conf->error_log);
        log_startup(CONFIG_LOG_EMERG, why);
    }

out:
    server_config_free(conf);
    config_flat_free(flat);
    log_close();
    return rc;
}

int main(int argc, char **argv)
{
    /* The HTTP modules' directives, before any configuration is read (the child's too). */
    http_register_modules();
    char parent[32];
    DWORD n = GetEnvironmentVariableA(MPM_ENV_PARENT_PID, parent, sizeof(parent));
    if (n > 0 && n < sizeof(parent))
        return run_child(argc, argv);

    struct cmdline cmd;
    char message[512];
    if (cmdline_parse(argc, argv, &cmd, message, sizeof(message)) != 0) {
        fprintf(stderr, "%s\n", message);
        print_text(stderr, cmdline_usage(cmd.argv0));
        cmdline_free(&cmd);
        return 1;
    }
    int rc;
    if (cmd.help)
        rc = print_text(stdout, cmdline_usage(cmd.argv0));
    else if (cmd.show_version)
        rc = print_text(stdout, cmdline_version_text(NTMPM_VERSION, NTMPM_BUILT));
    else if (cmd.show_settings)
        rc = show_settings();
    else if (cmd.list_modules)
        rc = print_text(stdout, cmdline_modules_text(NTMPM_BUILD_MPMS_SHARED));
    else if (cmd.list_directives)
        rc = print_text(stdout, cmdline_directives_text(NTMPM_BUILD_MPMS_SHARED));
    else
        rc = run_server(argc, argv, &cmd);
    cmdline_free(&cmd);
    return rc;
}
