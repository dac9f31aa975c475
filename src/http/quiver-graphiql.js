// Starts GraphiQL on Quiver's GraphiQL page (src/http/graphiql.html): queries
// and mutations are POSTed to the endpoint, subscriptions run over
// <endpoint>/ws with the graphql-transport-ws protocol. The settings come from
// the data- attributes of #graphiql: the endpoint path, and in development
// mode a service-role token to prefill the headers editor with.
(function () {
  'use strict';

  var container = document.getElementById('graphiql');
  var endpoint = container.getAttribute('data-endpoint');
  var devToken = container.getAttribute('data-token');
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

  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      storage: storage,
      isHeadersEditorEnabled: true,
      defaultHeaders: defaultHeaders,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: true,
    })
  );
})();
