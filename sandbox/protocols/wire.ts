/** What a protocol encoder hands the HTTP server: status, headers, body. */
export interface WireResponse {
  status: number
  headers: Record<string, string>
  body: string
}
