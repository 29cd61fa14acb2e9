/* Applying a flattened configuration: the directive tree, argument shapes, contexts, modules. */
#include "config_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGC 64

struct apply_state {
    const struct config_flat *flat;
    struct config_node *nodes;
    size_t n_nodes;
    struct config_node *first; /* top-level list */
    const struct config_module *active[64];
    size_t n_active;
    const struct config_node *err_node; /* the innermost directive in error */
};

static const char out_of_memory[] = "Out of memory while applying the configuration";

/* ---- the tree ----------------------------------------------------------------------------------
 */

static void free_tree(struct apply_state *st)
{
    for (size_t i = 0; i < st->n_nodes; i++) {
        free(st->nodes[i].name);
        free(st->nodes[i].args);
    }
    free(st->nodes);
}

static int build_tree(struct apply_state *st, struct config_error *err)
{
    const struct config_flat *f = st->flat;
    st->nodes = calloc(f->n_lines ? f->n_lines : 1, sizeof(*st->nodes));
    if (st->nodes == NULL) {
        cfg_error_plain(err, out_of_memory);
        return -1;
    }
    struct config_node *parent = NULL, *last = NULL;
    for (size_t i = 0; i < f->n_lines; i++) {
        const struct flat_line *l = &f->lines[i];
        const char *file = f->files[l->file];
        const char *args = l->text;
        char *name = cfg_getword(&args);
        if (name == NULL) {
            cfg_error_plain(err, out_of_memory);
            return -1;
        }
        if (name[0] == '<' && name[1] == '/') {
            /* The reader balanced the sections; a damaged image may not be. */
            size_t n = strlen(name);
            if (n > 2 && name[n - 1] == '>')
                name[n - 1] = '\0';
            if (parent == NULL || cfg_strcasecmp(name + 2, parent->name + 1) != 0) {
                cfg_error_at(err, file, l->line, name, "%s> without matching <%s> section", name,
                             name + 2);
                free(name);
                return -1;
            }
            free(name);
            last = parent;
            parent = parent->parent;
            continue;
        }
        struct config_node *node = &st->nodes[st->n_nodes++];
        node->name = name;
        node->file = file;
        node->line = l->line;
        node->parent = parent;
        if (name[0] == '<') {
            size_t n = strlen(name);
            if (n > 1 && name[n - 1] == '>') {
                name[n - 1] = '\0';
                if (*args == '\0')
                    args = ">";
            }
            node->is_section = 1;
        }
        if ((node->args = cfg_strdup(args)) == NULL) {
            cfg_error_plain(err, out_of_memory);
            return -1;
        }
        /* Link after the previous sibling: last is the previous node at this level. */
        if (last != NULL && last->parent == parent)
            last->next = node;
        else if (parent != NULL)
            parent->first_child = node;
        else
            st->first = node;
        last = node;
        if (node->is_section) {
            parent = node;
            last = NULL;
        }
    }
    if (parent != NULL) {
        cfg_error_at(err, parent->file, parent->line, parent->name, "%s> was not closed.",
                     parent->name);
        return -1;
    }
    return 0;
}

/* ---- directives --------------------------------------------------------------------------------
 */

static const struct config_cmd *find_cmd(const struct apply_state *st, const char *name)
{
    for (size_t i = 0; i < st->n_active; i++) {
        const struct config_cmd *c = st->active[i]->cmds;
        for (; c != NULL && c->name != NULL; c++)
            if (cfg_strcasecmp(c->name, name) == 0)
                return c;
    }
    return NULL;
}

static void free_argv(char **argv, int argc)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
}

static const char *usage_error(struct config_parms *p, const char *what)
{
    const struct config_cmd *c = p->cmd;
    if (c->usage != NULL)
        return config_errorf(p, "%s %s, %s", c->name, what, c->usage);
    return config_errorf(p, "%s %s", c->name, what);
}

/* Split args as cmd->args says and call the handler (once per word for ITERATE). */
/* The argument counts of the TAKEn directives, and httpd's words for them. */
static const struct {
    int min, max;
    const char *usage;
} arity[] = {
    [CONFIG_TAKE1] = {1, 1, "takes one argument"},
    [CONFIG_TAKE2] = {2, 2, "takes two arguments"},
    [CONFIG_TAKE12] = {1, 2, "takes 1-2 arguments"},
    [CONFIG_TAKE3] = {3, 3, "takes three arguments"},
    [CONFIG_TAKE23] = {2, 3, "takes two or three arguments"},
    [CONFIG_TAKE123] = {1, 3, "takes one, two or three arguments"},
};

static const char *invoke(struct config_parms *p, void *ctx, const char *args)
{
    const struct config_cmd *c = p->cmd;
    char *argv[MAX_ARGC + 1];
    int argc = 0;
    const char *msg = NULL;
    if (c->args == CONFIG_RAW_ARGS) {
        argv[0] = (char *)args;
        return c->fn(p, ctx, 1, argv);
    }
    while (*args != '\0' && argc < MAX_ARGC) {
        if ((argv[argc] = cfg_getword(&args)) == NULL) {
            free_argv(argv, argc);
            return out_of_memory;
        }
        argc++;
    }
    int extra = *args != '\0';
    argv[argc] = NULL;
    switch (c->args) {
    case CONFIG_NO_ARGS:
        if (argc > 0 || extra)
            msg = config_errorf(p, "%s takes no arguments", c->name);
        break;
    case CONFIG_TAKE1:
    case CONFIG_TAKE2:
    case CONFIG_TAKE12:
    case CONFIG_TAKE3:
    case CONFIG_TAKE23:
    case CONFIG_TAKE123:
        if (argc < arity[c->args].min || argc > arity[c->args].max || extra)
            msg = usage_error(p, arity[c->args].usage);
        break;
    case CONFIG_TAKE_ARGV:
        if (extra)
            msg = config_errorf(p, "Too many arguments to %s", c->name);
        break;
    case CONFIG_ITERATE:
        if (extra)
            msg = config_errorf(p, "Too many arguments to %s", c->name);
        for (int i = 0; i < argc && msg == NULL; i++)
            msg = c->fn(p, ctx, 1, &argv[i]);
        free_argv(argv, argc);
        return msg;
    case CONFIG_FLAG:
        if (argc != 1 || extra ||
            (cfg_strcasecmp(argv[0], "on") != 0 && cfg_strcasecmp(argv[0], "off") != 0)) {
            msg = config_errorf(p, "%s must be On or Off", c->name);
        } else {
            argv[0][0] = cfg_strcasecmp(argv[0], "off") != 0 ? '1' : '0';
            argv[0][1] = '\0';
        }
        break;
    case CONFIG_RAW_ARGS:
        break;
    }
    if (msg == NULL)
        msg = c->fn(p, ctx, argc, argv);
    free_argv(argv, argc);
    return msg;
}

static const char *walk(struct config_parms *p, const struct config_node *first, unsigned context,
                        const char *section, void *ctx)
{
    struct apply_state *st = p->state;
    unsigned saved_context = p->context;
    const char *saved_section = p->section;
    const struct config_node *saved_node = p->node;
    const struct config_cmd *saved_cmd = p->cmd;
    const char *msg = NULL;
    p->context = context;
    p->section = section;
    for (const struct config_node *n = first; n != NULL && msg == NULL; n = n->next) {
        const struct config_cmd *c = find_cmd(st, n->name);
        p->node = n;
        p->cmd = c;
        p->file = n->file;
        p->line = n->line;
        if (c == NULL) {
            msg = config_errorf(p,
                                "Invalid command '%s', perhaps misspelled or defined by a module "
                                "not included in the server configuration",
                                n->name);
        } else if (!(c->contexts & context)) {
            if (section == NULL)
                msg = config_errorf(p, "%s not allowed here", c->name);
            else
                msg = config_errorf(p, "%s cannot occur within %s> section", c->name, section);
        } else if (n->is_section) {
            const char *gt = strrchr(n->args, '>');
            if (gt == NULL) {
                msg = config_errorf(p, "%s> directive missing closing '>'", c->name);
            } else {
                char *inner = cfg_strndup(n->args, (size_t)(gt - n->args));
                msg = inner ? invoke(p, ctx, inner) : out_of_memory;
                free(inner);
            }
        } else {
            msg = invoke(p, ctx, n->args);
        }
        if (msg != NULL && st->err_node == NULL)
            st->err_node = n;
    }
    p->context = saved_context;
    p->section = saved_section;
    p->node = saved_node;
    p->cmd = saved_cmd;
    if (saved_node != NULL) {
        p->file = saved_node->file;
        p->line = saved_node->line;
    }
    return msg;
}

const char *config_walk_children(struct config_parms *parms, unsigned context, void *ctx)
{
    return walk(parms, parms->node->first_child, context, parms->node->name, ctx);
}

const char *config_errorf(struct config_parms *parms, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(parms->err, sizeof(parms->err), fmt, ap);
    va_end(ap);
    return parms->err;
}

void config_warnf(struct config_parms *parms, const char *fmt, ...)
{
    if (parms->sink == NULL || parms->sink->fn == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    parms->sink->fn(parms->sink->ctx, msg);
}

char *config_server_root_relative(const struct config_parms *parms, const char *path)
{
    return cfg_path_join(parms->server->server_root, path);
}

/* ---- modules -----------------------------------------------------------------------------------
 */

static int add_active(struct apply_state *st, const struct config_module *m)
{
    for (size_t i = 0; i < st->n_active; i++)
        if (st->active[i] == m)
            return 0;
    if (st->n_active == sizeof(st->active) / sizeof(st->active[0]))
        return -1;
    st->active[st->n_active++] = m;
    return 0;
}

/* LoadModule lines take effect before any directive is applied (httpd runs them while reading). */
static int load_modules(struct apply_state *st, struct server_config *conf,
                        const struct config_sink *sink, struct config_error *err)
{
    int mpms = 0;
    for (size_t i = 0; i < config_module_count(); i++) {
        const struct config_module *m = config_module_get(i);
        if (cfg_module_compiled_in(m, st->flat->mpms_shared)) {
            add_active(st, m);
            mpms += (m->flags & CONFIG_MODULE_MPM) != 0;
        }
    }
    for (size_t i = 0; i < st->n_nodes; i++) {
        const struct config_node *n = &st->nodes[i];
        if (cfg_strcasecmp(n->name, "LoadModule") != 0)
            continue;
        const char *args = n->args;
        char *name = cfg_getword(&args);
        char *path = name ? cfg_getword(&args) : NULL;
        if (path == NULL || *path == '\0') {
            free(name);
            free(path);
            continue; /* the walk reports the argument error */
        }
        const struct config_module *m = cfg_find_module(name);
        const char *why = cfg_check_loadmodule(name, st->flat->mpms_shared);
        int already = 0;
        for (size_t k = 0; k < conf->n_modules; k++)
            already |= strcmp(conf->modules[k].name, name) == 0;
        if (why != NULL) {
            cfg_error_at(err, n->file, n->line, "LoadModule",
                         "Cannot load %s into server: %s is %s", path, name, why);
            free(name);
            free(path);
            return -1;
        }
        if (cfg_module_compiled_in(m, st->flat->mpms_shared)) {
            cfg_sink_warnf(sink, "module %s is built-in and can't be loaded", name);
        } else if (already) {
            cfg_sink_warnf(sink, "module %s is already loaded, skipping", name);
        } else {
            struct config_loaded_module *mods =
                realloc(conf->modules, (conf->n_modules + 1) * sizeof(*mods));
            if (mods == NULL || add_active(st, m) != 0) {
                if (mods != NULL)
                    conf->modules = mods;
                free(name);
                free(path);
                cfg_error_plain(err, out_of_memory);
                return -1;
            }
            conf->modules = mods;
            int is_mpm = (m->flags & CONFIG_MODULE_MPM) != 0;
            mods[conf->n_modules++] = (struct config_loaded_module){name, path, is_mpm};
            if (is_mpm) {
                mpms++;
                conf->mpm_module_path = path;
            }
            continue;
        }
        free(name);
        free(path);
    }
    if (mpms == 0) {
        cfg_error_plain(err, "Configuration error: No MPM loaded.");
        return -1;
    }
    if (mpms > 1) {
        cfg_error_plain(err, "Configuration error: More than one MPM loaded.");
        return -1;
    }
    return 0;
}

/* The last top-level ServerRoot wins for every relative path (httpd sets it while reading). */
static int final_server_root(struct apply_state *st, struct server_config *conf)
{
    const char *root = st->flat->server_root;
    char *last = NULL;
    for (const struct config_node *n = st->first; n != NULL; n = n->next) {
        if (cfg_strcasecmp(n->name, "ServerRoot") != 0)
            continue;
        const char *args = n->args;
        char *w = cfg_getword(&args);
        if (w == NULL)
            return -1;
        if (*w) {
            free(last);
            last = w;
        } else {
            free(w);
        }
    }
    conf->server_root = last ? last : cfg_strdup(root);
    return conf->server_root ? 0 : -1;
}

int config_apply(const struct config_flat *flat, const struct config_sink *sink,
                 struct server_config **out, struct config_error *err)
{
    struct apply_state st = {.flat = flat};
    struct server_config *conf = calloc(1, sizeof(*conf));
    memset(err, 0, sizeof(*err));
    *out = NULL;
    int rc = -1;
    if (conf == NULL) {
        cfg_error_plain(err, out_of_memory);
        return -1;
    }
    if (build_tree(&st, err) != 0)
        goto out;
    if (final_server_root(&st, conf) != 0) {
        cfg_error_plain(err, out_of_memory);
        goto out;
    }
    for (size_t i = 0; i < config_module_count(); i++) {
        const struct config_module *m = config_module_get(i);
        const char *msg = m->pre ? m->pre(conf) : NULL;
        if (msg != NULL) {
            cfg_error_plain(err, "%s", msg);
            goto out;
        }
    }
    if (load_modules(&st, conf, sink, err) != 0)
        goto out;
    struct config_parms *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        cfg_error_plain(err, out_of_memory);
        goto out;
    }
    p->server = conf;
    p->sink = sink;
    p->state = &st;
    const char *msg = walk(p, st.first, CONFIG_CTX_SERVER, NULL, conf);
    if (msg != NULL) {
        const struct config_node *n = st.err_node;
        const char *d = n->name;
        cfg_error_at(err, n->file, n->line, d[0] == '<' ? d + 1 : d, "%s", msg);
        free(p);
        goto out;
    }
    free(p);
    for (size_t i = 0; i < st.n_active; i++) {
        const struct config_module *m = st.active[i];
        if (m->post != NULL && m->post(conf, sink, err) != NULL)
            goto out;
    }
    rc = 0;
    *out = conf;
    conf = NULL;
out:
    free_tree(&st);
    server_config_free(conf);
    return rc;
}

void server_config_free(struct server_config *conf)
{
    if (conf == NULL)
        return;
    if (conf->http_free != NULL)
        conf->http_free(conf->http);
    free(conf->server_root);
    free(conf->server_name);
    free(conf->document_root);
    for (size_t i = 0; i < conf->n_listens; i++) {
        free(conf->listens[i].host);
        free(conf->listens[i].protocol);
        free(conf->listens[i].file);
    }
    free(conf->listens);
    free(conf->error_log);
    for (size_t i = 0; i < conf->n_modules; i++) {
        free(conf->modules[i].name);
        free(conf->modules[i].path);
    }
    free(conf->modules);
    for (size_t i = 0; i < conf->n_accept_filters; i++)
        free(conf->accept_filters[i].protocol);
    free(conf->accept_filters);
    free(conf->core_dump_directory);
    free(conf->pid_file);
    free(conf->scoreboard_file);
    free(conf);
}
