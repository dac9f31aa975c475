// Starts GraphiQL on Quiver's GraphiQL page (src/http/graphiql.html): queries
// and mutations are POSTed to the endpoint, subscriptions run over
// <endpoint>/ws with the graphql-transport-ws protocol. The settings come from
// the data- attributes of #graphiql: the endpoint path, and in development
// mode a service-role token to prefill the headers editor with and the app's
// demo users (name, about, token) for the "Sign in as" choice, which writes
// the chosen token into the headers editor.
(function () {
  'use strict';

  var container = document.getElementById('graphiql');
  var endpoint = container.getAttribute('data-endpoint');
  var devToken = container.getAttribute('data-token');
  var demoUsers = [];
  try {
    demoUsers = JSON.parse(container.getAttribute('data-users') || '[]');
  } catch (e) {
    demoUsers = [];
  }
  var defaultHeaders = devToken
    ? JSON.stringify({ Authorization: 'Bearer ' + devToken }, null, 2)
    : '{}';

  function showError(message) {
    container.textContent = '';
    var pre = document.createElement('pre');
    pre.className = 'quiver-loading';
    pre.textContent = message;
    container.appendChild(pre);
  }

  if (
    typeof React === 'undefined' ||
    typeof ReactDOM === 'undefined' ||
    typeof GraphiQL === 'undefined' ||
    typeof graphqlWs === 'undefined'
  ) {
    showError(
      'Could not load GraphiQL\'s scripts from ' + endpoint + '/assets/. ' +
        'The API itself is still available with POST ' + endpoint +
        ' and WebSocket ' + endpoint + '/ws.'
    );
    return;
  }

  var wsScheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  var subscriptionUrl = wsScheme + location.host + endpoint + '/ws';

  // One localStorage namespace per endpoint, so the tabs, history and headers
  // of /graphql/a and /graphql/b do not overwrite each other.
  var storage = GraphiQL.createLocalStorage({ namespace: 'quiver:' + endpoint });

  var httpFetcher = GraphiQL.createFetcher({ url: location.origin + endpoint });

  // graphql-transport-ws clients, one per set of headers (the headers
  // editor's Authorization or X-API-Key travels in connection_init). Each
  // connects lazily on its first subscription, closes when its last one ends,
  // and reconnects on its own.
  var wsClients = {};
  function wsClientFor(headers) {
    var key = JSON.stringify(headers || {});
    if (!wsClients[key]) {
      wsClients[key] = graphqlWs.createClient({
        url: subscriptionUrl,
        lazy: true,
        retryAttempts: 5,
        connectionParams: function () {
          return JSON.parse(key);
        },
      });
    }
    return wsClients[key];
  }

  // Whether the operation to run is a subscription: from the text (an
  // operation starting the document, or following a definition, with
  // `subscription`), or from the document GraphiQL last parsed. (That one
  // alone would not do: run right after an edit, it is still the previous
  // document's.)
  function isSubscription(params, documentAST) {
    var text = String(params.query).replace(/#[^\n\r]*/g, '');
    var name = params.operationName;
    var byText = name
      ? new RegExp('\\bsubscription\\s+' + name + '\\b').test(text)
      : /(^|\})\s*subscription\b/.test(text);
    var byAst = !!(documentAST && documentAST.definitions.some(function (d) {
      return d.kind === 'OperationDefinition' && d.operation === 'subscription' &&
        (!name || (d.name && d.name.value === name));
    }));
    return byText || byAst;
  }

  // Queries and mutations over HTTP (with the editor's headers), subscriptions
  // over the WebSocket.
  function fetcher(params, options) {
    if (isSubscription(params, options && options.documentAST)) {
      return wsClientFor(options && options.headers).iterate({
        query: params.query,
        variables: params.variables,
        operationName: params.operationName,
      });
    }
    return httpFetcher(params, options);
  }

  // "Sign in as": the service role (row rules do not apply), a demo user
  // (their token), or nobody (no Authorization header). The choice is read
  // from, and written to, the headers editor's Authorization, so what is
  // shown is what is sent; other headers are kept.
  var SERVICE = 'service role';
  var ANONYMOUS = 'anonymous';
  var CUSTOM = 'custom';

  function parseHeaders(text) {
    try {
      var headers = JSON.parse(text || '{}');
      return headers && typeof headers === 'object' && !Array.isArray(headers) ? headers : null;
    } catch (e) {
      return null;
    }
  }

  function authorizationKey(headers) {
    return Object.keys(headers).filter(function (k) {
      return k.toLowerCase() === 'authorization';
    })[0];
  }

  // Who the headers editor's text signs in as.
  function signedInAs(text) {
    var headers = parseHeaders(text);
    if (!headers) return CUSTOM;
    var key = authorizationKey(headers);
    if (!key) return ANONYMOUS;
    var value = String(headers[key]);
    if (value === 'Bearer ' + devToken) return SERVICE;
    var user = demoUsers.filter(function (u) {
      return value === 'Bearer ' + u.token;
    })[0];
    return user ? user.name : CUSTOM;
  }

  function withSignIn(text, choice) {
    var headers = parseHeaders(text) || {};
    var key = authorizationKey(headers);
    if (key) delete headers[key];
    var user = demoUsers.filter(function (u) {
      return u.name === choice;
    })[0];
    var token = choice === SERVICE ? devToken : user && user.token;
    if (token) headers.Authorization = 'Bearer ' + token;
    return JSON.stringify(headers, null, 2);
  }

  function SignInAs() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true }).headerEditor;
    var state = React.useState(function () {
      return editor ? signedInAs(editor.getValue()) : SERVICE;
    });
    var chosen = state[0];
    var setChosen = state[1];
    React.useEffect(
      function () {
        if (!editor) return undefined;
        var update = function () {
          setChosen(signedInAs(editor.getValue()));
        };
        update();
        editor.on('change', update);
        return function () {
          editor.off('change', update);
        };
      },
      [editor]
    );
    var option = function (value, label, about) {
      return React.createElement('option', { key: value, value: value, title: about }, label);
    };
    var options = [option(SERVICE, SERVICE, 'bypasses row rules')].concat(
      demoUsers.map(function (u) {
        return option(u.name, u.name + ' \u2014 ' + u.about, u.about);
      }),
      [option(ANONYMOUS, ANONYMOUS, 'no Authorization header')]
    );
    if (chosen === CUSTOM) options.push(option(CUSTOM, 'other credentials', 'as written in the headers editor'));
    var about = demoUsers.filter(function (u) {
      return u.name === chosen;
    })[0];
    return React.createElement(
      'label',
      { className: 'quiver-sign-in' },
      'Sign in as',
      React.createElement(
        'select',
        {
          'aria-label': 'Sign in as',
          value: chosen,
          title: about ? about.about : '',
          disabled: !editor,
          onChange: function (event) {
            if (event.target.value !== CUSTOM) editor.setValue(withSignIn(editor.getValue(), event.target.value));
          },
        },
        options
      )
    );
  }

  // In development mode the logo's place holds the "Sign in as" choice.
  var children = devToken && demoUsers.length ? React.createElement(GraphiQL.Logo, null, React.createElement(SignInAs)) : null;

  ReactDOM.createRoot(container).render(
    React.createElement(
      GraphiQL,
      {
        fetcher: fetcher,
        storage: storage,
        isHeadersEditorEnabled: true,
        defaultHeaders: defaultHeaders,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: true,
      },
      children
    )
  );
})();
